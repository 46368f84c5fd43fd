package dev.flowlab.topology;

/** Layer-7 reverse proxy (issue: the Nginx tier). Its settings arrive with that tier. */
public record NginxConfig() implements NodeConfig {

    public static final NginxConfig EMPTY = new NginxConfig();

    @Override
    public NodeKind kind() {
        return NodeKind.NGINX;
    }
}
