package dev.flowlab.tier.gateway;

import dev.flowlab.topology.GatewayConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Risk control: a deny list of address blocks and deny rules on path, method, header and user agent; 403 naming the rule. */
final class RiskControlFilter implements GatewayFilter {
    private final List<Cidr> deny = new ArrayList<>();
    private final List<GatewayConfig.Rule> rules;

    RiskControlFilter(GatewayConfig.RiskControl config) {
        if (config.denyCidrs() != null) {
            for (String c : config.denyCidrs()) {
                deny.add(Cidr.parse(c));
            }
        }
        this.rules = config.rules() == null ? List.of() : List.copyOf(config.rules());
    }

    @Override
    public String name() {
        return "risk_control";
    }

    @Override
    public Verdict inbound(GatewayExchange x) {
        if (!deny.isEmpty()) {
            byte[] addr = NetUtil.createByteArrayFromIpAddressString(x.sourceIp);
            for (Cidr c : deny) {
                if (c.contains(addr)) {
                    return Verdict.reject(403, "source " + x.sourceIp + " is in the deny list (" + c.text() + ")");
                }
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            GatewayConfig.Rule r = rules.get(i);
            if (matches(r, x)) {
                return Verdict.reject(403, "rule '" + (r.name() == null ? "#" + (i + 1) : r.name()) + "' matched");
            }
        }
        x.filterEvent(name(), "pass (" + deny.size() + " deny blocks, " + rules.size() + " rules)");
        return Verdict.CONTINUE;
    }

    static boolean matches(GatewayConfig.Rule r, GatewayExchange x) {
        boolean any = false;
        if (r.pathPrefix() != null) {
            any = true;
            if (!x.request.uri().startsWith(r.pathPrefix())) {
                return false;
            }
        }
        if (r.method() != null) {
            any = true;
            if (!x.request.method().name().equalsIgnoreCase(r.method())) {
                return false;
            }
        }
        if (r.header() != null) {
            any = true;
            String v = x.request.headers().get(r.header());
            if (v == null || (r.headerValue() != null && !v.contains(r.headerValue()))) {
                return false;
            }
        }
        if (r.userAgent() != null) {
            any = true;
            String ua = x.request.headers().get(HttpHeaderNames.USER_AGENT);
            if (ua == null || !ua.toLowerCase(Locale.ROOT).contains(r.userAgent().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return any;
    }
}
