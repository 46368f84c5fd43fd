package dev.flowlab.app.export;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * An MP4 (H.264, yuv420p, so every player shows it) made by the system's {@code ffmpeg}: the
 * frames go to it as PNGs on its standard input (image2pipe). Without ffmpeg there is no MP4:
 * {@link #ffmpeg()} is empty and the export says to install it.
 */
final class Mp4Pipe implements Closeable {
    static final String MISSING = "MP4 needs ffmpeg, which is not installed (Debian, Ubuntu: apt-get install -y ffmpeg; "
            + "macOS: brew install ffmpeg)";
    private final Process process;
    private final OutputStream stdin;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Thread drain;

    Mp4Pipe(Path ffmpeg, Path file, int fps) throws IOException {
        process = new ProcessBuilder(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "image2pipe", "-framerate", Integer.toString(fps), "-c:v", "png", "-i", "-",
                // H.264 wants even sizes
                "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                "-movflags", "+faststart", "-f", "mp4", file.toString()))
                .redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        drain = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(log);
            } catch (IOException e) {
                // the process is gone; its exit status says how
            }
        }, "flowlab-ffmpeg-log");
        drain.setDaemon(true);
        drain.start();
    }

    /** The ffmpeg on the PATH (or the one system property {@code flowlab.ffmpeg} names), if any. */
    static Optional<Path> ffmpeg() {
        String chosen = System.getProperty("flowlab.ffmpeg");
        if (chosen != null) {
            Path p = Path.of(chosen);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : new String[] {"ffmpeg", "ffmpeg.exe"}) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    void add(BufferedImage image) throws IOException {
        try {
            ImageIO.write(image, "png", stdin);
            stdin.flush();
        } catch (IOException e) {
            throw new IOException("ffmpeg stopped taking frames: " + output(), e);
        }
    }

    /** Ends the input and waits for ffmpeg to write the file. */
    void finish() throws IOException {
        stdin.close();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("ffmpeg did not finish in 2 minutes");
            }
            drain.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while ffmpeg wrote the file", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): " + output());
        }
    }

    private String output() {
        return log.toString(StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
