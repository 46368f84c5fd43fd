package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;

/**
 * API gateway: routes by path to pools of Tomcats (with nginx's balancing methods), each route
 * with its own filter chain, run in this order: trace id and access log, risk control,
 * authentication, rate limiting, traffic shaping, circuit breaker (with its time limiter), retry,
 * protocol conversion (HTTP/JSON to the lab RPC protocol), load balancing. Names and defaults are
 * the real products' (Spring Cloud Gateway, Resilience4J, Kong); shared/FIDELITY.md.
 *
 * <p>A filter is on for a route when the route's {@code filters} (or the gateway's
 * {@code defaultFilters}, as Spring Cloud Gateway's default-filters) set it; a route's own
 * setting of a filter replaces the default one. Unset {@code routes}: one route {@code /} to
 * every linked node.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"routes", "defaultFilters", "credentials", "connectTimeout", "responseTimeout", "clientHeaderTimeout",
    "clientBodyTimeout", "keepaliveTimeout"})
public record GatewayConfig(
        @Param(doc = "Routes, matched by the longest path prefix. Unset: one route / to every linked node")
        List<Route> routes,
        @Param(doc = "Filters every route gets unless it sets the same filter itself (Spring Cloud Gateway's default-filters)")
        Filters defaultFilters,
        @Param(doc = "Who may call: each a principal with a bearer token and/or an API key")
        List<Credential> credentials,
        @Param(def = "30s", unit = "duration", min = 0, doc = "Connect timeout to a backend (Reactor Netty's default, which Spring Cloud Gateway uses)")
        Duration connectTimeout,
        @Param(def = "", unit = "duration", min = 0, doc = "response-timeout: the longest wait for a backend's answer; unset: none (Spring Cloud Gateway's default)")
        Duration responseTimeout,
        @Param(def = "60s", unit = "duration", min = 0, doc = "client_header_timeout: a request's whole header must arrive within this from its "
                + "first byte, else the connection is closed. Spring Cloud Gateway sets no client timeout; the lab gives the gateway nginx's, "
                + "so a slow client cannot hold a connection forever")
        Duration clientHeaderTimeout,
        @Param(def = "60s", unit = "duration", min = 0, doc = "client_body_timeout: between two reads of a request body (nginx's semantics)")
        Duration clientBodyTimeout,
        @Param(def = "75s", unit = "duration", min = 0, doc = "keepalive_timeout: an idle client keep-alive connection is closed after this "
                + "(nginx's default; Reactor Netty's idleTimeout is unset by default); 0 closes after each response")
        Duration keepaliveTimeout) implements NodeConfig {

    public static final GatewayConfig EMPTY = new GatewayConfig(null, null, null, null, null, null, null, null);

    @Override
    public NodeKind kind() {
        return NodeKind.GATEWAY;
    }

    /** The routes when {@code routes} is unset: one route / named after the node, to every linked node. */
    public static List<Route> defaultRoutes(String nodeId) {
        return List.of(Route.of(nodeId, "/", null, null));
    }

    /** A route: a path prefix, the pool it goes to, how the pool is balanced, and its filters. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "path", "servers", "balance", "maxFails", "failTimeout", "filters"})
    public record Route(
            @Param(doc = "The route's id (names it in events and the access log)") String id,
            @Param(doc = "The path prefix this route matches (Path=/api/** in Spring Cloud Gateway); the longest match wins") String path,
            @Param(doc = "The pool: lab nodes (Tomcats, reached over the RPC protocol). Unset: every linked node", refersTo = Param.NODE)
            List<String> servers,
            @Param(def = "round_robin", oneOf = {"round_robin", "least_conn", "ip_hash"},
                    doc = "Balancing method, as nginx's: round_robin (smooth weighted), least_conn, ip_hash") String balance,
            @Param(def = "1", min = 0, max = 1000, doc = "Passive health, as nginx's max_fails: failed calls within failTimeout that take a server out for failTimeout; 0 = never")
            Integer maxFails,
            @Param(def = "10s", unit = "duration", min = 0, doc = "Passive health, as nginx's fail_timeout") Duration failTimeout,
            @Param(doc = "This route's filters; each one set replaces the default filter of the same name") Filters filters) {

        public static Route of(String id, String path, List<String> servers, Filters filters) {
            return new Route(id, path, servers, null, null, null, filters);
        }
    }

    /** The configurable filters. Unset: off (or, for a route, the gateway's default filter). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"riskControl", "auth", "rateLimit", "shaping", "circuitBreaker", "retry"})
    public record Filters(
            @Param(doc = "Risk control: deny lists and rules; 403") RiskControl riskControl,
            @Param(doc = "Authentication: bearer token or API key; 401") Auth auth,
            @Param(doc = "Rate limiting: a token bucket per key; 429") RateLimit rateLimit,
            @Param(doc = "Traffic shaping: a concurrency limit with a bounded queue; 503") Shaping shaping,
            @Param(doc = "Circuit breaker with a time limiter (Resilience4J); 503 while open, 504 on timeout") CircuitBreaker circuitBreaker,
            @Param(doc = "Retry (Spring Cloud Gateway's Retry filter)") Retry retry) {

        public static final Filters NONE = new Filters(null, null, null, null, null, null);

        /** This route's filters over the defaults: each filter set here wins. */
        public Filters over(Filters defaults) {
            if (defaults == null) {
                return this;
            }
            return new Filters(riskControl != null ? riskControl : defaults.riskControl,
                    auth != null ? auth : defaults.auth,
                    rateLimit != null ? rateLimit : defaults.rateLimit,
                    shaping != null ? shaping : defaults.shaping,
                    circuitBreaker != null ? circuitBreaker : defaults.circuitBreaker,
                    retry != null ? retry : defaults.retry);
        }

        public Filters withRiskControl(RiskControl v) {
            return new Filters(v, auth, rateLimit, shaping, circuitBreaker, retry);
        }

        public Filters withAuth(Auth v) {
            return new Filters(riskControl, v, rateLimit, shaping, circuitBreaker, retry);
        }

        public Filters withRateLimit(RateLimit v) {
            return new Filters(riskControl, auth, v, shaping, circuitBreaker, retry);
        }

        public Filters withShaping(Shaping v) {
            return new Filters(riskControl, auth, rateLimit, v, circuitBreaker, retry);
        }

        public Filters withCircuitBreaker(CircuitBreaker v) {
            return new Filters(riskControl, auth, rateLimit, shaping, v, retry);
        }

        public Filters withRetry(Retry v) {
            return new Filters(riskControl, auth, rateLimit, shaping, circuitBreaker, v);
        }
    }

    /** Deny lists and rules; a match is answered 403 and names the rule in an event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"denyCidrs", "rules"})
    public record RiskControl(
            @Param(doc = "Source addresses denied, as CIDRs (10.0.0.0/8, 127.0.0.9/32). The source is X-Real-IP when a proxy set it, else the peer") List<String> denyCidrs,
            @Param(doc = "Rules: each denies requests matching all the conditions it sets") List<Rule> rules) {
    }

    /** A deny rule: every condition it sets must match. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "pathPrefix", "method", "header", "headerValue", "userAgent"})
    public record Rule(
            @Param(doc = "The rule's name, shown in the 403's event") String name,
            @Param(doc = "The request path starts with this") String pathPrefix,
            @Param(doc = "The request method is this (GET, POST...)") String method,
            @Param(doc = "The request has this header (with headerValue: containing that value)") String header,
            @Param(doc = "The header's value contains this") String headerValue,
            @Param(doc = "The User-Agent contains this (case-insensitive): curl, sqlmap, python-requests...") String userAgent) {
    }

    /** Authentication against {@code credentials}: RFC 6750 bearer tokens and Kong key-auth style API keys. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bearer", "apiKey", "keyNames", "realm", "principalHeader"})
    public record Auth(
            @Param(def = "true", doc = "Accept Authorization: Bearer TOKEN") Boolean bearer,
            @Param(def = "true", doc = "Accept an API key (Kong key-auth)") Boolean apiKey,
            @Param(doc = "Header names an API key is read from; unset: apikey (Kong key-auth's key_names default)") List<String> keyNames,
            @Param(def = "gateway", doc = "The realm in the 401's WWW-Authenticate") String realm,
            @Param(def = "X-Consumer-Username", doc = "The header the authenticated principal is passed on in (Kong's name); a client's own is removed")
            String principalHeader) {
    }

    /** A caller: a principal and its secrets. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"principal", "token", "apiKey"})
    public record Credential(
            @Param(doc = "Who this is (the principal passed on to the backend)") String principal,
            @Param(doc = "A bearer token") String token,
            @Param(doc = "An API key") String apiKey) {
    }

    /** Spring Cloud Gateway's RequestRateLimiter (redis-rate-limiter's token bucket). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"replenishRate", "burstCapacity", "requestedTokens", "keyResolver", "denyEmptyKey"})
    public record RateLimit(
            @Param(def = "10", unit = "tokens/s", min = 1, max = 1_000_000, doc = "replenishRate: tokens added to a bucket per second") Integer replenishRate,
            @Param(def = "20", unit = "tokens", min = 0, max = 10_000_000, doc = "burstCapacity: the bucket's size, the most requests allowed in one second") Integer burstCapacity,
            @Param(def = "1", unit = "tokens", min = 1, max = 1_000_000, doc = "requestedTokens: what one request costs") Integer requestedTokens,
            @Param(def = "principal", oneOf = {"principal", "apiKey", "ip"},
                    doc = "keyResolver: whose bucket; principal is Spring Cloud Gateway's default (PrincipalNameKeyResolver)") String keyResolver,
            @Param(def = "true", doc = "deny-empty-key: a request without a key (no principal) is refused with 403") Boolean denyEmptyKey) {
    }

    /** A concurrency limit for the route: at most maxConcurrent in flight, a bounded queue, a queue timeout. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"maxConcurrent", "maxQueue", "queueTimeout"})
    public record Shaping(
            @Param(def = "100", unit = "requests", min = 1, max = 1_000_000, doc = "Requests in flight to the route's backends at once") Integer maxConcurrent,
            @Param(def = "100", unit = "requests", min = 0, max = 1_000_000, doc = "Requests waiting for a slot; beyond it, 503") Integer maxQueue,
            @Param(def = "1s", unit = "duration", min = 0, doc = "The longest a request waits for a slot; then 503") Duration queueTimeout) {
    }

    /** Resilience4J's CircuitBreaker (count-based window) with its TimeLimiter, Resilience4J's defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"failureRateThreshold", "slidingWindowSize", "minimumNumberOfCalls", "waitDurationInOpenState",
        "permittedNumberOfCallsInHalfOpenState", "timeout", "statusCodes"})
    public record CircuitBreaker(
            @Param(def = "50", unit = "%", min = 1, max = 100, doc = "failureRateThreshold: the failure rate (in %) at which the breaker opens") Integer failureRateThreshold,
            @Param(def = "100", unit = "calls", min = 1, max = 100_000, doc = "slidingWindowSize: the last N calls the failure rate is computed over") Integer slidingWindowSize,
            @Param(def = "100", unit = "calls", min = 1, max = 100_000, doc = "minimumNumberOfCalls: calls needed before the failure rate counts") Integer minimumNumberOfCalls,
            @Param(def = "60s", unit = "duration", min = 0, doc = "waitDurationInOpenState: how long the breaker stays open before it half-opens") Duration waitDurationInOpenState,
            @Param(def = "10", unit = "calls", min = 1, max = 100_000, doc = "permittedNumberOfCallsInHalfOpenState: trial calls that decide between closing and opening again") Integer permittedNumberOfCallsInHalfOpenState,
            @Param(def = "1s", unit = "duration", min = 0, doc = "TimeLimiter timeoutDuration: a call taking longer fails (504) and counts as a failure") Duration timeout,
            @Param(doc = "Backend statuses that count as failures (Spring Cloud Gateway's statusCodes), e.g. [500, 503]; unset: only errors and timeouts") List<Integer> statusCodes) {
    }

    /** Spring Cloud Gateway's Retry filter. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"retries", "statuses", "methods"})
    public record Retry(
            @Param(def = "3", unit = "retries", min = 0, max = 100, doc = "retries: attempts after the first") Integer retries,
            @Param(doc = "Statuses retried; unset: the 5xx series (SERVER_ERROR), the default") List<Integer> statuses,
            @Param(doc = "Methods retried; unset: GET, the default") List<String> methods) {
    }
}
