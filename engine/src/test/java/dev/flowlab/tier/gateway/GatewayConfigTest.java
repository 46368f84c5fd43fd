package dev.flowlab.tier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.Durations;
import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.Params;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's settings carry the real products' defaults, and out-of-range values are reported with their path. */
class GatewayConfigTest {
    @Test
    void defaults_areResilience4jsAndSpringCloudGateways() {
        GatewayConfig.CircuitBreaker cb = Params.withDefaults(new GatewayConfig.CircuitBreaker(null, null, null, null, null, null, null));
        assertThat(cb.failureRateThreshold()).isEqualTo(50);
        assertThat(cb.slidingWindowSize()).isEqualTo(100);
        assertThat(cb.minimumNumberOfCalls()).isEqualTo(100);
        assertThat(cb.waitDurationInOpenState()).isEqualTo(Durations.parse("60s"));
        assertThat(cb.permittedNumberOfCallsInHalfOpenState()).isEqualTo(10);
        assertThat(cb.timeout()).isEqualTo(Durations.parse("1s"));
        GatewayConfig.Retry retry = Params.withDefaults(new GatewayConfig.Retry(null, null, null));
        assertThat(retry.retries()).isEqualTo(3);
        GatewayConfig.RateLimit rl = Params.withDefaults(new GatewayConfig.RateLimit(null, null, null, null, null));
        assertThat(rl.requestedTokens()).isEqualTo(1);
        assertThat(rl.keyResolver()).isEqualTo("principal");
        assertThat(rl.denyEmptyKey()).isTrue();
        GatewayConfig.Auth auth = Params.withDefaults(new GatewayConfig.Auth(null, null, null, null, null));
        assertThat(auth.principalHeader()).isEqualTo("X-Consumer-Username");
        // the editor asks for the whole record's defaults too
        assertThat(Params.withDefaults(GatewayConfig.EMPTY).connectTimeout()).isEqualTo(Durations.parse("30s"));
    }

    @Test
    void check_reportsOutOfRangeAndUnknownWords_withTheirPath() {
        GatewayConfig cfg = new GatewayConfig(List.of(new GatewayConfig.Route("api", "/api/", null, "random", null, null,
                GatewayConfig.Filters.NONE.withCircuitBreaker(new GatewayConfig.CircuitBreaker(150, null, null, null, null, null, null))
                        .withRateLimit(new GatewayConfig.RateLimit(10, 20, null, "cookie", null)))), null, null, null, null, null, null, null);
        assertThat(Params.check(cfg, "config")).containsExactlyInAnyOrder(
                "config.routes[0].balance: 'random' is not one of round_robin, least_conn, ip_hash",
                "config.routes[0].filters.rateLimit.keyResolver: 'cookie' is not one of principal, apiKey, ip",
                "config.routes[0].filters.circuitBreaker.failureRateThreshold: 150 is out of range 1..100 %");
    }
}
