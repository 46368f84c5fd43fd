package dev.flowlab.live;

/** How a request ended, for its particle's shape: rejections (401/403/429 and other 4xx refusals) and errors (5xx, resets, timeouts) look different. */
public enum Outcome {
    OK, REJECTED, ERROR;

    public static Outcome ofStatus(int status) {
        if (status >= 500) {
            return ERROR;
        }
        if (status == 401 || status == 403 || status == 429 || status == 413 || status == 400 || status == 408) {
            return REJECTED;
        }
        return OK;
    }
}
