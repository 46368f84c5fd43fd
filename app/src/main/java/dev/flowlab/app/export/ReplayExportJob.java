package dev.flowlab.app.export;

import dev.flowlab.record.ReplayExporter;
import dev.flowlab.record.ReplayExporter.Format;
import dev.flowlab.record.ReplayExporter.Request;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javafx.application.Platform;

/**
 * One export of a shown replay, run on a thread of its own (never the FX thread: each frame is
 * drawn there, in its turn, while the encoding runs here). The file is written to a temporary file
 * beside the target and moved into place once complete: a cancelled or failed export leaves
 * nothing at the target (and no temporary file).
 */
public final class ReplayExportJob {
    private ReplayExportJob() {
    }

    /** Whether MP4 can be written here (ffmpeg on the PATH); the reason when not. */
    public static java.util.Optional<String> mp4Unavailable() {
        return Mp4Pipe.ffmpeg().isPresent() ? java.util.Optional.empty() : java.util.Optional.of(Mp4Pipe.MISSING);
    }

    /** Renders {@code request} from the replay {@code renderer} drives; blocking, off the FX thread. */
    public static ReplayExporter.Result run(ReplayRenderer renderer, Request request, ReplayExporter.Progress progress) throws IOException {
        if (Platform.isFxApplicationThread()) {
            throw new IllegalStateException("an export waits for the FX thread: run it on another thread");
        }
        Path out = request.out().toAbsolutePath();
        Path dir = out.getParent();
        Files.createDirectories(dir);
        Path mp4 = null;
        if (request.format() == Format.MP4) {
            mp4 = Mp4Pipe.ffmpeg().orElseThrow(() -> new IOException(Mp4Pipe.MISSING));
        }
        Path tmp = tempBeside(out);
        int total = request.frames();
        int[] size = new int[2];
        try {
            fx(() -> {
                renderer.begin();
                return null;
            });
            switch (request.format()) {
                case PNG -> {
                    BufferedImage image = frame(renderer, request, 0, size);
                    if (!javax.imageio.ImageIO.write(image, "png", tmp.toFile())) {
                        throw new IOException("no PNG writer");
                    }
                    progress.frame(1, 1);
                }
                case SVG -> {
                    String svg = fx(() -> {
                        renderer.moveTo(request.fromMillis(), true);
                        return new SvgPicture(renderer).write(request.width());
                    });
                    BufferedImage probe = fx(() -> renderer.snapshot(request.width()));
                    size[0] = probe.getWidth();
                    size[1] = probe.getHeight();
                    Files.writeString(tmp, svg, StandardCharsets.UTF_8);
                    progress.frame(1, 1);
                }
                case GIF -> {
                    try (GifSequence gif = new GifSequence(tmp, request.fps())) {
                        for (int i = 0; i < total; i++) {
                            cancelPoint(progress);
                            gif.add(frame(renderer, request, i, size));
                            progress.frame(i + 1, total);
                        }
                        gif.finish();
                    }
                }
                case MP4 -> {
                    try (Mp4Pipe pipe = new Mp4Pipe(mp4, tmp, request.fps())) {
                        for (int i = 0; i < total; i++) {
                            cancelPoint(progress);
                            pipe.add(frame(renderer, request, i, size));
                            progress.frame(i + 1, total);
                        }
                        pipe.finish();
                    }
                }
                default -> throw new IllegalStateException(request.format().toString());
            }
            cancelPoint(progress);
            move(tmp, out);
            return new ReplayExporter.Result(out, Files.size(out), total, size[0], size[1]);
        } finally {
            Files.deleteIfExists(tmp);
            fx(() -> {
                renderer.end();
                return null;
            });
        }
    }

    /** Writes the run's report (as {@code lab replay --report} prints it, or its JSON) the same safe way. */
    public static void writeText(Path out, String text) throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = tempBeside(target);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new hidden file beside {@code target}, made with the usual permissions (a temp file's are the owner's only). */
    private static Path tempBeside(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".part");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    private static BufferedImage frame(ReplayRenderer renderer, Request request, int i, int[] size) throws IOException {
        BufferedImage image = fx(() -> {
            renderer.moveTo(request.frameMillis(i), i == 0);
            return renderer.snapshot(request.width());
        });
        size[0] = image.getWidth();
        size[1] = image.getHeight();
        return image;
    }

    private static void cancelPoint(ReplayExporter.Progress progress) throws ReplayExporter.Cancelled {
        if (progress.cancelled() || Thread.currentThread().isInterrupted()) {
            throw new ReplayExporter.Cancelled();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Runs {@code work} on the FX thread and waits for it. */
    static <T> T fx(Callable<T> work) throws IOException {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayExporter.Cancelled();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c);
        }
    }
}
