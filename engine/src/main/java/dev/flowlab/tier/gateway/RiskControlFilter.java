package dev.flowlab.tier.gateway;

import dev.flowlab.topology.GatewayConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Risk control: a deny list of address blocks and deny rules on path, method, header and user agent; 403 naming the rule. */
final class RiskControlFilter implements GatewayFilter {
    /** An address block of the deny list (Netty's subnet rule) with the text it was written as. */
    record DenyBlock(IpSubnetFilterRule rule, String text) {
    }

    private final List<DenyBlock> deny = new ArrayList<>();
    private final List<GatewayConfig.Rule> rules;

    RiskControlFilter(GatewayConfig.RiskControl config) {
        if (config.denyCidrs() != null) {
            for (String c : config.denyCidrs()) {
                deny.add(parseBlock(c));
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
            InetAddress addr = NetUtil.createInetAddressFromIpAddressString(x.sourceIp);
            InetSocketAddress source = addr == null ? null : new InetSocketAddress(addr, 0);
            for (DenyBlock c : deny) {
                if (source != null && c.rule().matches(source)) {
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

    /**
     * 192.168.0.0/16, 127.0.0.9/32, ::1/128; a bare address is a block of one. Parsed without a
     * name lookup (Netty's own String constructor would resolve a host name).
     */
    static DenyBlock parseBlock(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        InetAddress addr = NetUtil.createInetAddressFromIpAddressString(slash < 0 ? t : t.substring(0, slash));
        if (addr == null) {
            throw new IllegalArgumentException("not an address block: '" + text + "'");
        }
        int bits = addr.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
        }
        return new DenyBlock(new IpSubnetFilterRule(addr, prefix, IpFilterRuleType.REJECT), t);
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
