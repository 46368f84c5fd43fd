package dev.flowlab.app.animate;

/**
 * How many requests per second one dot stands for. The scale is a "nice" number (1, 2, 5, 10,
 * 20, 50...) chosen so the dots on screen stay within the budget; it moves up as soon as the budget
 * is exceeded and down only when a smaller scale fits with room to spare, so it does not flicker.
 * Ten times the traffic is ten times the dots until the budget is reached, and then a new legend.
 */
public final class ParticleScale {
    private int budget;
    private double requestsPerDot = 1;

    public ParticleScale(int budget) {
        this.budget = budget;
    }

    /**
     * @param dotSecondsAtScaleOne the dots that would be on screen at one dot per request/s:
     *                             the sum over lanes of (requests/s x seconds a dot travels)
     * @return true when the scale changed
     */
    public boolean update(double dotSecondsAtScaleOne) {
        double before = requestsPerDot;
        while (dotSecondsAtScaleOne / requestsPerDot > budget) {
            requestsPerDot = next(requestsPerDot);
        }
        while (requestsPerDot > 1 && dotSecondsAtScaleOne / previous(requestsPerDot) < budget * 0.4) {
            requestsPerDot = previous(requestsPerDot);
        }
        return before != requestsPerDot;
    }

    /** The most dots wanted on screen (the bench raises it to put a thousand dots up). */
    public void budget(int dots) {
        if (dots < 1) {
            throw new IllegalArgumentException("budget must be at least 1 dot, not " + dots);
        }
        this.budget = dots;
    }

    public int budget() {
        return budget;
    }

    public double requestsPerDot() {
        return requestsPerDot;
    }

    public String legend() {
        double n = requestsPerDot;
        return "1 dot = " + (n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n)) + " req/s";
    }

    static double next(double n) {
        double decade = Math.pow(10, Math.floor(Math.log10(n) + 1e-9));
        double m = Math.round(n / decade);
        return m < 2 ? 2 * decade : m < 5 ? 5 * decade : 10 * decade;
    }

    static double previous(double n) {
        double decade = Math.pow(10, Math.floor(Math.log10(n) + 1e-9));
        double m = Math.round(n / decade);
        return m > 5 ? 5 * decade : m > 2 ? 2 * decade : m > 1 ? decade : decade / 2;
    }
}
