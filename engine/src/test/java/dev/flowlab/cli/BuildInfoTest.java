package dev.flowlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void versionPrintsProductCommitJdkNettyAndTransport() {
        StringWriter out = new StringWriter();
        int status = LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)).execute("--version");
        assertThat(status).isZero();
        String text = out.toString();
        assertThat(text).containsPattern("Request Flow Lab \\S+ \\(commit \\S+");
        assertThat(text).contains("JDK " + System.getProperty("java.version"));
        assertThat(text).containsPattern("Netty 4\\.\\d+\\.\\d+\\S*, transport (epoll|NIO)");
    }

    @Test
    void theBuildFilledInTheVersion() {
        assertThat(BuildInfo.current().version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void withoutGitTheCommitIsUnknown() {
        Properties props = new Properties();
        props.setProperty("version", "1.2.3");
        props.setProperty("commit", "${flowlab.commit}");
        BuildInfo info = new BuildInfo(props);
        assertThat(info.commit()).isEqualTo("unknown");
        assertThat(info.lines().get(0)).isEqualTo("Request Flow Lab 1.2.3 (commit unknown)");
    }

    @Test
    void withoutTheResourceItIsADevelopmentBuild() {
        BuildInfo info = new BuildInfo(new Properties());
        assertThat(info.version()).isEqualTo("development build");
        assertThat(info.commit()).isEqualTo("unknown");
    }

    @Test
    void extraLinesFollowTheEngines() {
        String[] lines = LabCli.versionLines(java.util.List.of("JavaFX 21"));
        assertThat(lines[lines.length - 1]).isEqualTo("JavaFX 21");
    }
}
