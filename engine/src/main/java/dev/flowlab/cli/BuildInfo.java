package dev.flowlab.cli;

import dev.flowlab.runtime.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What this build is: the product version and the commit it was built from (filled in by the
 * build into {@code build.properties}; "unknown" where the sources were no git checkout), and the
 * runtime it runs on (JDK, Netty, the transport). {@code lab --version} prints {@link #lines()};
 * the desktop app adds JavaFX to the same lines in Help → About.
 */
public final class BuildInfo {
    public static final String UNKNOWN = "unknown";

    private final String version;
    private final String commit;

    BuildInfo(Properties props) {
        this.version = filled(props.getProperty("version"), "development build");
        this.commit = filled(props.getProperty("commit"), UNKNOWN);
    }

    /** This build's information (from the classpath resource the build wrote). */
    public static BuildInfo current() {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            // keep the defaults: a build without the resource is a development build
        }
        return new BuildInfo(props);
    }

    /** An unresolved placeholder (resources copied without filtering, no git): the fallback. */
    private static String filled(String value, String fallback) {
        return value == null || value.isBlank() || value.contains("${") ? fallback : value.trim();
    }

    public String version() {
        return version;
    }

    public String commit() {
        return commit;
    }

    public static String jdk() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vm.vendor", "?") + ", "
                + System.getProperty("java.vm.name", "?") + ")";
    }

    /** Netty's version, as its own jars declare it. */
    public static String netty() {
        io.netty.util.Version v = io.netty.util.Version.identify().get("netty-common");
        return v == null ? UNKNOWN : v.artifactVersion();
    }

    public static String transport() {
        return Transport.kind() == Transport.Kind.EPOLL ? "epoll" : "NIO";
    }

    /** The lines of {@code lab --version}: product and commit, then the runtime. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Request Flow Lab " + version + " (commit " + commit + ")");
        lines.add("JDK " + jdk());
        lines.add("Netty " + netty() + ", transport " + transport());
        return lines;
    }
}
