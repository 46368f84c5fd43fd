package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** disable_symlinks with nginx's values: off follows links (the default), on refuses them (403), if_not_owner refuses another owner's. */
class StaticFilesSymlinksTest {
    @Test
    void offFollows_onRefuses_ifNotOwnerFollowsTheSameOwnersLink(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.writeString(dir.resolve("secret.txt"), "outside the root");
        Files.writeString(root.resolve("plain.txt"), "inside");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Files.createDirectories(root.resolve("d"));
        Files.createSymbolicLink(root.resolve("d/up"), dir);

        assertThat(StaticFiles.resolve(root, "/link.txt").status()).isEqualTo(200);
        assertThat(StaticFiles.resolve(root, "/link.txt", "off").status()).isEqualTo(200);
        assertThat(StaticFiles.resolve(root, "/link.txt", "on").status()).isEqualTo(403);
        assertThat(StaticFiles.resolve(root, "/d/up/secret.txt", "on").status()).isEqualTo(403);
        assertThat(StaticFiles.resolve(root, "/plain.txt", "on").status()).isEqualTo(200);
        // the test owns both the link and its target
        assertThat(StaticFiles.resolve(root, "/link.txt", "if_not_owner").status()).isEqualTo(200);
    }
}
