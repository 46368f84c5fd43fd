package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.topology.NginxConfig;
import org.junit.jupiter.api.Test;

/** nginx's limit_req leaky bucket on an injected clock (milliseconds). */
class RequestLimiterTest {
    @Test
    void rateOnly_secondRequestWithinTheIntervalIsRefused_thenTheBucketHasLeaked() {
        RequestLimiter l = new RequestLimiter(new NginxConfig.LimitReq(null, "2r/s", null, null, null));
        assertThat(l.check("a", 0)).isZero();
        assertThat(l.check("a", 100)).isEqualTo(RequestLimiter.BUSY);
        assertThat(l.check("b", 100)).as("another key has its own bucket").isZero();
        assertThat(l.check("a", 500)).as("500 ms drain one request at 2r/s").isZero();
        assertThat(l.status).isEqualTo(503);
    }

    @Test
    void burst_delaysToTheRate_unlessNodelay() {
        RequestLimiter delayed = new RequestLimiter(new NginxConfig.LimitReq(null, "10r/s", 2, null, null));
        assertThat(delayed.check("k", 0)).isZero();
        assertThat(delayed.check("k", 0)).as("one in the bucket: waits 1/10 s").isEqualTo(100);
        assertThat(delayed.check("k", 0)).isEqualTo(200);
        assertThat(delayed.check("k", 0)).isEqualTo(RequestLimiter.BUSY);
        RequestLimiter nodelay = new RequestLimiter(new NginxConfig.LimitReq(null, "10r/s", 2, true, 429));
        assertThat(nodelay.check("k", 0)).isZero();
        assertThat(nodelay.check("k", 0)).isZero();
        assertThat(nodelay.check("k", 0)).isZero();
        assertThat(nodelay.check("k", 0)).isEqualTo(RequestLimiter.BUSY);
        assertThat(nodelay.excess("k")).isEqualTo("2.000");
    }

    @Test
    void perMinuteRates_andBadRates() {
        RequestLimiter l = new RequestLimiter(new NginxConfig.LimitReq(null, "30r/m", null, null, null));
        assertThat(l.check("k", 0)).isZero();
        assertThat(l.check("k", 1_999)).isEqualTo(RequestLimiter.BUSY);
        assertThat(l.check("k", 2_000)).isZero();
        assertThatThrownBy(() -> new RequestLimiter(new NginxConfig.LimitReq(null, "10/s", null, null, null)))
                .hasMessageContaining("invalid rate \"10/s\"");
        assertThatThrownBy(() -> new RequestLimiter(new NginxConfig.LimitReq(null, "0r/s", null, null, null)))
                .hasMessageContaining("invalid rate");
    }
}
