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
 * first, so viewers loop it forever. One palette for all frames ({@link GifPalette}); each frame
 * after the first keeps only its changed pixels (the rest transparent, drawn over the last frame). Delays are in hundredths of a second; at 8 fps they alternate
 * 12 and 13 so the film keeps its time.
 */
final class GifSequence implements Closeable {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private final ImageWriter writer;
    private final ImageOutputStream out;
    private final int fps;
    private int frames;
    private GifPalette palette;
    private byte[] previous;

    GifSequence(Path file, int fps) throws IOException {
        this.fps = fps;
        writer = ImageIO.getImageWritersByFormatName("gif").next();
        out = ImageIO.createImageOutputStream(file.toFile());
        if (out == null) {
            throw new IOException("cannot write " + file);
        }
        writer.setOutput(out);
    }

    /** The file's header with the palette as its global colour table (the frames have none of their own). */
    private void begin(BufferedImage indexed) throws IOException {
        String streamFormat = "javax_imageio_gif_stream_1.0";
        IIOMetadata stream = writer.getDefaultStreamMetadata(writer.getDefaultWriteParam());
        IIOMetadataNode root = (IIOMetadataNode) stream.getAsTree(streamFormat);
        IIOMetadataNode table = child(root, "GlobalColorTable");
        while (table.getFirstChild() != null) {
            table.removeChild(table.getFirstChild());
        }
        table.setAttribute("sizeOfGlobalColorTable", "256");
        table.setAttribute("sortFlag", "FALSE");
        table.setAttribute("backgroundColorIndex", "0");
        fill(table, (java.awt.image.IndexColorModel) indexed.getColorModel());
        stream.setFromTree(streamFormat, root);
        writer.prepareWriteSequence(stream);
    }

    private static void fill(IIOMetadataNode table, java.awt.image.IndexColorModel model) {
        for (int i = 0; i < model.getMapSize(); i++) {
            IIOMetadataNode e = new IIOMetadataNode("ColorTableEntry");
            e.setAttribute("index", Integer.toString(i));
            e.setAttribute("red", Integer.toString(model.getRed(i)));
            e.setAttribute("green", Integer.toString(model.getGreen(i)));
            e.setAttribute("blue", Integer.toString(model.getBlue(i)));
            table.appendChild(e);
        }
    }

    void add(BufferedImage rgb) throws IOException {
        if (palette == null) {
            palette = new GifPalette(rgb);
        }
        BufferedImage image = palette.index(rgb);
        if (frames == 0) {
            begin(image);
        }
        byte[] indices = GifPalette.indices(image);
        boolean delta = previous != null;
        if (delta) {
            GifPalette.keepChanges(image, previous);
        }
        previous = indices;
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        // the global colour table only: the writer's default local table for a 256-colour model is not the image's
        for (int i = root.getLength() - 1; i >= 0; i--) {
            if (root.item(i).getNodeName().equals("LocalColorTable")) {
                root.removeChild(root.item(i));
            }
        }
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        // each frame is drawn over the last: what did not change is transparent in it
        control.setAttribute("disposalMethod", "doNotDispose");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", delta ? "TRUE" : "FALSE");
        control.setAttribute("delayTime", Integer.toString(delay(frames, fps)));
        control.setAttribute("transparentColorIndex", Integer.toString(GifPalette.TRANSPARENT));
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
        if (frames == 0) {
            throw new IOException("a GIF needs at least one frame");
        }
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
