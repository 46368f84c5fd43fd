package dev.flowlab.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaitility's defaults for every test run of the engine, the app and lab-scenarios (registered in
 * META-INF/services of the engine's test-jar): the condition is checked at once and then every
 * 5 ms, on the calling thread, as the project's waits always were; a test still names its deadline
 * ({@code await("what").atMost(...)}).
 */
public final class AwaitilityDefaults implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
        Awaitility.pollInSameThread();
    }
}
