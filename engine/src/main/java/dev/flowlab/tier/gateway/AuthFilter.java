package dev.flowlab.tier.gateway;

import dev.flowlab.topology.GatewayConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authentication: an RFC 6750 bearer token ({@code Authorization: Bearer ...}) or an API key in a
 * header (Kong key-auth's {@code apikey}), checked against the scenario's credentials. A request
 * without credentials gets 401 with {@code WWW-Authenticate}; wrong ones get 401 with
 * {@code error="invalid_token"}. The principal goes on to the backend in a header (Kong's
 * {@code X-Consumer-Username}); a client's own header of that name is removed first, so it
 * cannot claim to be someone.
 */
final class AuthFilter implements GatewayFilter {
    private final boolean bearer;
    private final boolean apiKeys;
    private final List<String> keyNames;
    private final String realm;
    private final String principalHeader;
    private final Map<String, String> byToken = new HashMap<>();
    private final Map<String, String> byKey = new HashMap<>();

    AuthFilter(GatewayConfig.Auth effective, List<GatewayConfig.Credential> credentials) {
        this.bearer = effective.bearer();
        this.apiKeys = effective.apiKey();
        this.keyNames = effective.keyNames() == null || effective.keyNames().isEmpty() ? List.of("apikey") : effective.keyNames();
        this.realm = effective.realm();
        this.principalHeader = effective.principalHeader();
        if (credentials != null) {
            for (GatewayConfig.Credential c : credentials) {
                if (c.token() != null) {
                    byToken.put(c.token(), c.principal());
                }
                if (c.apiKey() != null) {
                    byKey.put(c.apiKey(), c.principal());
                }
            }
        }
    }

    @Override
    public String name() {
        return "auth";
    }

    String principalHeader() {
        return principalHeader;
    }

    @Override
    public Verdict inbound(GatewayExchange x) {
        x.request.headers().remove(principalHeader);
        String authz = x.request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (bearer && authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authz.substring(7).trim();
            String who = byToken.get(token);
            if (who == null) {
                challenge(x, "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
                return Verdict.reject(401, "bearer token not recognised");
            }
            return pass(x, who, "bearer token");
        }
        if (apiKeys) {
            for (String h : keyNames) {
                String key = x.request.headers().get(h);
                if (key != null) {
                    String who = byKey.get(key);
                    if (who == null) {
                        challenge(x, "Key realm=\"" + realm + "\"");
                        return Verdict.reject(401, "invalid API key in " + h);
                    }
                    x.apiKey = key;
                    x.request.headers().remove(h);
                    return pass(x, who, "API key (" + h + ")");
                }
            }
        }
        challenge(x, bearer ? "Bearer realm=\"" + realm + "\"" : "Key realm=\"" + realm + "\"");
        return Verdict.reject(401, "no credentials (" + (bearer ? "Authorization: Bearer" : "") + (bearer && apiKeys ? " or " : "")
                + (apiKeys ? "API key header " + String.join("/", keyNames) : "") + ")");
    }

    private Verdict pass(GatewayExchange x, String who, String how) {
        x.principal = who;
        x.request.headers().set(principalHeader, who);
        x.filterEvent(name(), "pass: principal " + who + " by " + how + ", passed on as " + principalHeader);
        return Verdict.CONTINUE;
    }

    private static void challenge(GatewayExchange x, String value) {
        x.responseHeaders.set(HttpHeaderNames.WWW_AUTHENTICATE, value);
    }
}
