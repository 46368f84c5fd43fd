package dev.flowlab.app.export;

import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads exported files back: a GIF's frames, size and loop extension; an SVG as XML. */
public final class ExportImages {
    private ExportImages() {
    }

    /** frames, width, height of the GIF, and whether its first image carries NETSCAPE2.0 (loop). */
    public record Gif(int frames, int width, int height, boolean loops, int firstDelay) {
    }

    public static Gif gif(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            try {
                reader.setInput(in);
                int frames = reader.getNumImages(true);
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
                boolean loops = false;
                NodeList apps = root.getElementsByTagName("ApplicationExtension");
                for (int i = 0; i < apps.getLength(); i++) {
                    Element e = (Element) apps.item(i);
                    loops |= "NETSCAPE".equals(e.getAttribute("applicationID")) && "2.0".equals(e.getAttribute("authenticationCode"));
                }
                int delay = Integer.parseInt(((Element) root.getElementsByTagName("GraphicControlExtension").item(0)).getAttribute("delayTime"));
                return new Gif(frames, reader.getWidth(0), reader.getHeight(0), loops, delay);
            } finally {
                reader.dispose();
            }
        }
    }

    public static Document xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    /** The values of {@code data-node} on the SVG's node rectangles, in order. */
    public static java.util.List<String> svgNodes(Document svg) {
        java.util.List<String> out = new java.util.ArrayList<>();
        NodeList rects = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if ("node".equals(r.getAttribute("class"))) {
                out.add(r.getAttribute("data-node"));
            }
        }
        return out;
    }
}
