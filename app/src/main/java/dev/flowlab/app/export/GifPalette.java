package dev.flowlab.app.export;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One palette for a whole GIF, so each frame after the first can leave what did not change
 * transparent (most of a canvas: the cards and links hold still while the dots move) and the file
 * stays small. 64 colours of a uniform 4x4x4 cube (any colour has a near one, a red error dot that
 * the first frame lacks too) and 191 from the first frame by median cut over its colours at 5 bits
 * a channel; index 255 is the transparent one. No dithering: flat UI colours stay flat.
 */
final class GifPalette {
    static final int TRANSPARENT = 255;
    private static final int CUBE = 4;
    private static final int CUT = 255 - CUBE * CUBE * CUBE;

    private final byte[] reds = new byte[256];
    private final byte[] greens = new byte[256];
    private final byte[] blues = new byte[256];
    /** The palette index of each colour at 5 bits a channel. */
    private final byte[] lookup = new byte[1 << 15];
    private final IndexColorModel model;

    GifPalette(BufferedImage first) {
        int n = 0;
        for (int r = 0; r < CUBE; r++) {
            for (int g = 0; g < CUBE; g++) {
                for (int b = 0; b < CUBE; b++) {
                    set(n++, r * 255 / (CUBE - 1), g * 255 / (CUBE - 1), b * 255 / (CUBE - 1));
                }
            }
        }
        for (int[] c : medianCut(histogram(first), CUT)) {
            set(n++, c[0], c[1], c[2]);
        }
        while (n < 255) {
            set(n++, 0, 0, 0);
        }
        set(TRANSPARENT, 255, 0, 255);
        for (int key = 0; key < lookup.length; key++) {
            int r = expand(key >> 10 & 31);
            int g = expand(key >> 5 & 31);
            int b = expand(key & 31);
            int best = 0;
            int bestD = Integer.MAX_VALUE;
            for (int i = 0; i < 255; i++) {
                int dr = r - (reds[i] & 0xff);
                int dg = g - (greens[i] & 0xff);
                int db = b - (blues[i] & 0xff);
                int d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            lookup[key] = (byte) best;
        }
        model = new IndexColorModel(8, 256, reds, greens, blues, TRANSPARENT);
    }

    /** The frame in this palette. */
    BufferedImage index(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
        byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int c = row[x];
                px[y * w + x] = lookup[(c >> 9 & 0x7c00) | (c >> 6 & 0x3e0) | (c >> 3 & 0x1f)];
            }
        }
        return out;
    }

    /** The indices of an indexed frame (a copy: the next frame is compared with it). */
    static byte[] indices(BufferedImage indexed) {
        return ((DataBufferByte) indexed.getRaster().getDataBuffer()).getData().clone();
    }

    /** Makes the pixels equal to {@code previous} transparent; returns whether any pixel changed. */
    static boolean keepChanges(BufferedImage indexed, byte[] previous) {
        byte[] px = ((DataBufferByte) indexed.getRaster().getDataBuffer()).getData();
        boolean changed = false;
        for (int i = 0; i < px.length; i++) {
            if (px[i] == previous[i]) {
                px[i] = (byte) TRANSPARENT;
            } else {
                changed = true;
            }
        }
        return changed;
    }

    private void set(int i, int r, int g, int b) {
        reds[i] = (byte) r;
        greens[i] = (byte) g;
        blues[i] = (byte) b;
    }

    private static int expand(int v5) {
        return v5 << 3 | v5 >> 2;
    }

    private static int[] histogram(BufferedImage img) {
        int[] counts = new int[1 << 15];
        int w = img.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < img.getHeight(); y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int c : row) {
                counts[(c >> 9 & 0x7c00) | (c >> 6 & 0x3e0) | (c >> 3 & 0x1f)]++;
            }
        }
        return counts;
    }

    /** Up to {@code colours} colours for the histogram's buckets (median cut: split the fullest box at its weighted median). */
    private static List<int[]> medianCut(int[] counts, int colours) {
        List<int[]> buckets = new ArrayList<>();
        for (int key = 0; key < counts.length; key++) {
            if (counts[key] > 0) {
                buckets.add(new int[] {key >> 10 & 31, key >> 5 & 31, key & 31, counts[key]});
            }
        }
        List<List<int[]>> boxes = new ArrayList<>();
        if (!buckets.isEmpty()) {
            boxes.add(buckets);
        }
        while (boxes.size() < colours) {
            List<int[]> widest = null;
            long widestScore = 0;
            int axis = 0;
            for (List<int[]> box : boxes) {
                if (box.size() < 2) {
                    continue;
                }
                int[] range = new int[3];
                long weight = 0;
                for (int ch = 0; ch < 3; ch++) {
                    int lo = 31;
                    int hi = 0;
                    for (int[] b : box) {
                        lo = Math.min(lo, b[ch]);
                        hi = Math.max(hi, b[ch]);
                    }
                    range[ch] = hi - lo;
                }
                for (int[] b : box) {
                    weight += b[3];
                }
                int a = range[0] >= range[1] && range[0] >= range[2] ? 0 : range[1] >= range[2] ? 1 : 2;
                // the box's spread times the square root of its pixels: a large flat area gets its own shades, a rare colour its own entry
                long score = (long) (range[a] * Math.sqrt(weight));
                if (score > widestScore) {
                    widestScore = score;
                    widest = box;
                    axis = a;
                }
            }
            if (widest == null) {
                break;
            }
            int ch = axis;
            widest.sort(Comparator.comparingInt(b -> b[ch]));
            long total = widest.stream().mapToLong(b -> b[3]).sum();
            long acc = 0;
            int cut = 1;
            for (int i = 0; i < widest.size() - 1; i++) {
                acc += widest.get(i)[3];
                if (acc * 2 >= total) {
                    cut = i + 1;
                    break;
                }
                cut = i + 1;
            }
            boxes.remove(widest);
            boxes.add(new ArrayList<>(widest.subList(0, cut)));
            boxes.add(new ArrayList<>(widest.subList(cut, widest.size())));
        }
        List<int[]> out = new ArrayList<>();
        for (List<int[]> box : boxes) {
            long r = 0;
            long g = 0;
            long b = 0;
            long n = 0;
            for (int[] c : box) {
                r += (long) expand(c[0]) * c[3];
                g += (long) expand(c[1]) * c[3];
                b += (long) expand(c[2]) * c[3];
                n += c[3];
            }
            out.add(new int[] {(int) (r / n), (int) (g / n), (int) (b / n)});
        }
        return out;
    }
}
