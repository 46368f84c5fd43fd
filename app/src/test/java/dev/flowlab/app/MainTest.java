package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void linuxWithoutDisplayOrWayland_hasNoDisplay() {
        assertThat(Main.displayAvailable("Linux", Map.of())).isFalse();
        assertThat(Main.displayAvailable("FreeBSD", Map.of("DISPLAY", " "))).isFalse();
    }

    @Test
    void linuxWithDisplayOrWayland_hasADisplay() {
        assertThat(Main.displayAvailable("Linux", Map.of("DISPLAY", ":0"))).isTrue();
        assertThat(Main.displayAvailable("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"))).isTrue();
    }

    @Test
    void macOsAndWindows_alwaysHaveAScreen() {
        assertThat(Main.displayAvailable("Mac OS X", Map.of())).isTrue();
        assertThat(Main.displayAvailable("Windows 11", Map.of())).isTrue();
    }

    @Test
    void defaultScenario_comesFromTheLibrary_andStartsAtAClient() {
        var scenario = DefaultScenario.load();
        assertThat(scenario.name()).isEqualTo("The Taobao question");
        assertThat(scenario.nodes()).extracting(n -> n.id()).contains("client");
        assertThat(scenario.downstreamOf("client")).isNotEmpty();
    }
}
