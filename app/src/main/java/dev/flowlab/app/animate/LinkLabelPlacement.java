package dev.flowlab.app.animate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;

/**
 * Where each link's label goes so that it never covers a node card: at a point along the link,
 * pushed off it perpendicular, at the first spot that is clear. In a dense topology zoomed out,
 * the gaps between cards may be narrower than a label; then the spot is searched further out,
 * around the link's middle, and the label keeps a {@link Placed#anchor} on its link for a leader
 * line. Pure geometry, no toolkit: any coordinate space, as long as it is one.
 *
 * <p>Rules, strongest first: a label never intersects a card (cards are hard obstacles, always);
 * it avoids the other labels and the soft obstacles (the badges over the cards) when it can; it
 * stays inside the visible area when it can; nearer the link's middle and nearer the link is better.
 */
public final class LinkLabelPlacement {
    /** Clear space kept between a label and what it avoids. */
    static final double MARGIN = 2;
    /** How far from the link line a label's edge starts: the particles' lanes run 5 px either side of it. */
    static final double LANE_CLEARANCE = 7;
    private static final double STEP = 6;
    private static final double MAX_ALONG_OFFSET = 90;
    private static final double[] ALONG = {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82};
    private static final double MAX_RING = 600;
    private static final double RING_STEP = 8;
    private static final int RING_POINTS = 64;

    private LinkLabelPlacement() {
    }

    /** A label to place: its link from {@code start} to {@code end}, its size. */
    public record Request(String key, Point2D start, Point2D end, double width, double height) {
    }

    /** A placed label: its box, and the point of its link it belongs to. */
    public record Placed(String key, Bounds box, Point2D anchor) {
        /** Whether the label sits away from its link, so a leader line should join them. */
        public boolean detached() {
            return distance(box, anchor) > LANE_CLEARANCE + STEP + 1;
        }
    }

    /**
     * Places the labels in order.
     *
     * @param cards  boxes a label must never intersect
     * @param soft   boxes a label avoids when it can (badges)
     * @param area   where labels should stay (the visible canvas), or null
     */
    public static List<Placed> place(List<Request> labels, List<Bounds> cards, List<Bounds> soft, Bounds area) {
        List<Bounds> placed = new ArrayList<>();
        List<Placed> out = new ArrayList<>(labels.size());
        Bounds everything = union(cards);
        for (Request r : labels) {
            Placed p = placeOne(r, cards, soft, placed, area, everything);
            placed.add(p.box());
            out.add(p);
        }
        return out;
    }

    /**
     * The searches, in order: clear of the other labels and the badges, beside the link and then
     * around its middle (further out, with a leader, rather than half under a badge, whose figures
     * it would hide); then the badges allowed under a label, then the other labels too; always
     * off the cards, and inside the area but for the last resort.
     */
    private enum Search {
        BESIDE_CLEAR(true, true, true), AROUND_CLEAR(false, true, true),
        BESIDE_OVER_BADGES(true, true, false), AROUND_OVER_BADGES(false, true, false),
        BESIDE_OVER_LABELS(true, false, false), AROUND_OVER_LABELS(false, false, false);

        final boolean beside;
        final boolean avoidLabels;
        final boolean avoidSoft;

        Search(boolean beside, boolean avoidLabels, boolean avoidSoft) {
            this.beside = beside;
            this.avoidLabels = avoidLabels;
            this.avoidSoft = avoidSoft;
        }
    }

    private static Placed placeOne(Request r, List<Bounds> cards, List<Bounds> soft, List<Bounds> labels, Bounds area, Bounds everything) {
        List<Candidate> beside = alongLink(r);
        Iterable<Candidate> around = () -> new AroundMiddle(r.start().midpoint(r.end()));
        for (Search search : Search.values()) {
            Placed p = firstClear(r, search.beside ? beside : around, cards, search.avoidSoft ? soft : List.of(),
                    search.avoidLabels ? labels : List.of(), area);
            if (p != null) {
                return p;
            }
        }
        Placed p = firstClear(r, around, cards, List.of(), List.of(), null);
        if (p != null) {
            return p;
        }
        // Beyond every card: below them all, under the link's middle.
        Point2D mid = r.start().midpoint(r.end());
        double y = (everything == null ? mid.getY() : everything.getMaxY()) + MARGIN + 1;
        return new Placed(r.key(), new BoundingBox(mid.getX() - r.width() / 2, y, r.width(), r.height()), mid);
    }

    /** A spot for a label's centre, the point of its link it belongs to, and how bad a spot it is. */
    private record Candidate(double x, double y, Point2D anchor, double cost) {
    }

    /** Spots beside the link: along it from the middle out, pushed off either side, nearer first. */
    private static List<Candidate> alongLink(Request r) {
        Point2D d = r.end().subtract(r.start());
        double length = d.magnitude();
        if (length < 1) {
            return List.of();
        }
        double ux = d.getX() / length;
        double uy = d.getY() / length;
        // Screen "up" first for a horizontal link, right for a vertical one.
        double nx = uy;
        double ny = -ux;
        if (ny > 0 || (ny == 0 && nx < 0)) {
            nx = -nx;
            ny = -ny;
        }
        double halfExtent = (r.width() * Math.abs(nx) + r.height() * Math.abs(ny)) / 2;
        List<Candidate> out = new ArrayList<>(ALONG.length * 2 * (int) (MAX_ALONG_OFFSET / STEP + 2));
        for (double t : ALONG) {
            Point2D anchor = new Point2D(r.start().getX() + d.getX() * t, r.start().getY() + d.getY() * t);
            double alongCost = Math.abs(t - 0.5) * Math.min(length, 200) * 0.6;
            for (double off = halfExtent + LANE_CLEARANCE; off <= halfExtent + MAX_ALONG_OFFSET; off += STEP) {
                out.add(new Candidate(anchor.getX() + nx * off, anchor.getY() + ny * off, anchor, off + alongCost));
                out.add(new Candidate(anchor.getX() - nx * off, anchor.getY() - ny * off, anchor, off + alongCost + 0.5));
            }
        }
        out.sort(Comparator.comparingDouble(Candidate::cost));
        return out;
    }

    /**
     * Spots on rings around the link's middle, nearer rings first; made as they are tried (the
     * first few usually do, and there are thousands out to the last ring).
     */
    private static final class AroundMiddle implements java.util.Iterator<Candidate> {
        private final Point2D mid;
        private double radius = RING_STEP * 2;
        private int points = pointsOn(radius);
        private int i;

        AroundMiddle(Point2D mid) {
            this.mid = mid;
        }

        private static int pointsOn(double radius) {
            return (int) Math.max(8, Math.min(RING_POINTS, radius / 5));
        }

        @Override
        public boolean hasNext() {
            return radius <= MAX_RING;
        }

        @Override
        public Candidate next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            // Start straight up, then alternate sides, so ties go to the upper spots.
            double a = -Math.PI / 2 + (i % 2 == 0 ? 1 : -1) * ((i + 1) / 2) * (2 * Math.PI / points);
            Candidate c = new Candidate(mid.getX() + Math.cos(a) * radius, mid.getY() + Math.sin(a) * radius, mid, radius);
            if (++i == points) {
                i = 0;
                radius += RING_STEP;
                points = pointsOn(radius);
            }
            return c;
        }
    }

    private static Placed firstClear(Request r, Iterable<Candidate> candidates, List<Bounds> cards, List<Bounds> soft,
                                     List<Bounds> labels, Bounds area) {
        double w = r.width();
        double h = r.height();
        for (Candidate c : candidates) {
            double minX = c.x() - w / 2;
            double minY = c.y() - h / 2;
            if (area != null && !(minX >= area.getMinX() && minY >= area.getMinY()
                    && minX + w <= area.getMaxX() && minY + h <= area.getMaxY())) {
                continue;
            }
            if (clear(minX, minY, w, h, cards) && clear(minX, minY, w, h, soft) && clear(minX, minY, w, h, labels)) {
                return new Placed(r.key(), new BoundingBox(minX, minY, w, h), c.anchor());
            }
        }
        return null;
    }

    private static boolean clear(double minX, double minY, double w, double h, List<Bounds> others) {
        for (Bounds o : others) {
            if (o != null && minX < o.getMaxX() + MARGIN && o.getMinX() < minX + w + MARGIN
                    && minY < o.getMaxY() + MARGIN && o.getMinY() < minY + h + MARGIN) {
                return false;
            }
        }
        return true;
    }

    /** Whether the boxes come closer than {@code margin} (touching edges with margin 0 do not overlap). */
    static boolean overlaps(Bounds a, Bounds b, double margin) {
        return a.getMinX() < b.getMaxX() + margin && b.getMinX() < a.getMaxX() + margin
                && a.getMinY() < b.getMaxY() + margin && b.getMinY() < a.getMaxY() + margin;
    }

    private static Bounds union(List<Bounds> boxes) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Bounds b : boxes) {
            if (b == null) {
                continue;
            }
            minX = Math.min(minX, b.getMinX());
            minY = Math.min(minY, b.getMinY());
            maxX = Math.max(maxX, b.getMaxX());
            maxY = Math.max(maxY, b.getMaxY());
        }
        return minX > maxX ? null : new BoundingBox(minX, minY, maxX - minX, maxY - minY);
    }

    /** The nearest point of the box to {@code p}. */
    public static Point2D nearestPoint(Bounds box, Point2D p) {
        return new Point2D(Math.max(box.getMinX(), Math.min(p.getX(), box.getMaxX())),
                Math.max(box.getMinY(), Math.min(p.getY(), box.getMaxY())));
    }

    private static double distance(Bounds box, Point2D p) {
        return nearestPoint(box, p).distance(p);
    }
}
