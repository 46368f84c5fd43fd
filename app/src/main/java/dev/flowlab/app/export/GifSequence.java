package dev.flowlab.app.export;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF with the JDK's own writer (javax.imageio, no library): one image per frame, each
 * with its delay in its graphic control extension, and the NETSCAPE2.0 application extension on the
 * first, so viewers loop it forever. Delays are in hundredths of a second; at 8 fps they alternate
 * 12 and 13 so the film keeps its time.
 */
final class GifSequence implements Closeable {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private final ImageWriter writer;
    private final ImageOutputStream out;
    private final int fps;
    private int frames;

    GifSequence(Path file, int fps) throws IOException {
        this.fps = fps;
        writer = ImageIO.getImageWritersByFormatName("gif").next();
        out = ImageIO.createImageOutputStream(file.toFile());
        if (out == null) {
            throw new IOException("cannot write " + file);
        }
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
    }

    void add(BufferedImage image) throws IOException {
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delay(frames, fps)));
        control.setAttribute("transparentColorIndex", "0");
        if (frames == 0) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            // sub-block 1: the loop count, 0 = forever
            loop.setUserObject(new byte[] {1, 0, 0});
            apps.appendChild(loop);
        }
        meta.setFromTree(FORMAT, root);
        writer.writeToSequence(new IIOImage(image, null, meta), writer.getDefaultWriteParam());
        frames++;
    }

    /** Frame {@code i}'s delay in hundredths of a second: the frames' times rounded, so the whole keeps 1/fps each. */
    static int delay(int i, int fps) {
        return (int) (Math.round((i + 1) * 100.0 / fps) - Math.round(i * 100.0 / fps));
    }

    int frames() {
        return frames;
    }

    /** Ends the file (its trailer). */
    void finish() throws IOException {
        writer.endWriteSequence();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }
}
