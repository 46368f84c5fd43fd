package dev.flowlab.scenario;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text as problems quote it: on one line whatever the file holds (a problem is one line of
 * `lab validate`'s output), short, and escaped the way JSON writes it. Also the strict UTF-8
 * decoding of a file, which places the first bad byte at its line and column.
 */
final class ScenarioText {
    /** Characters of a value quoted in a message; the rest is cut, with the value's length said. */
    static final int QUOTE_MAX = 60;
    /** Characters of a whole problem message (a cycle through a thousand nodes stays readable). */
    static final int MESSAGE_MAX = 1_000;

    private ScenarioText() {
    }

    /** A character that would break a line or hide text: C0 and C1 controls, DEL, line and paragraph separators. */
    static boolean isControl(char c) {
        return Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
    }

    /**
     * Also the invisible characters that reorder what a terminal shows (bidi embeddings,
     * overrides, isolates), and half a surrogate pair (a terminal shows '?').
     */
    private static boolean needsEscape(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return isControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
    }

    /** The index of the first control character, or -1; with {@code layout}, tabs and line breaks are allowed. */
    static int firstControl(String s, boolean layout) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c) && !(layout && (c == '\t' || c == '\n' || c == '\r'))) {
                return i;
            }
        }
        return -1;
    }

    /** "U+000A, a line feed"; "U+0007" for the ones without a common name. */
    static String describeControl(char c) {
        String code = String.format("U+%04X", (int) c);
        String name = switch (c) {
            case '\n' -> "a line feed";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            case '\0' -> "a NUL";
            case '\u001B' -> "an escape";
            case '\u007F' -> "a delete";
            case '\u0085' -> "a next line";
            case '\u2028' -> "a line separator";
            case '\u2029' -> "a paragraph separator";
            default -> null;
        };
        return name == null ? code : code + ", " + name;
    }

    /** {@code text} with every control character escaped (\n, \t, \u0007...); nothing else changes. */
    static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        int first = -1;
        for (int i = 0; i < text.length() && first < 0; i++) {
            if (needsEscape(text, i)) {
                first = i;
            }
        }
        if (first < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(text, i)) {
                escape(sb, c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** At most {@code max} characters: a longer text is cut and says how much was left out. */
    static String capped(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, cut) + "... (" + ScenarioLimits.count(text.length() - cut) + " more characters)";
    }

    /** A string value as JSON writes it, in double quotes; cut after {@value #QUOTE_MAX} characters. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder("\"");
        int end = Math.min(value.length(), QUOTE_MAX);
        if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (needsEscape(value, i)) {
                escape(sb, c);
            } else {
                sb.append(c);
            }
        }
        if (end < value.length()) {
            return sb.append("...\" (").append(ScenarioLimits.count(value.length())).append(" characters)").toString();
        }
        return sb.append('"').toString();
    }

    private static void escape(StringBuilder sb, char c) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> sb.append(String.format("\\u%04X", (int) c));
        }
    }

    // ---- decoding

    /** The file is not UTF-8: where its first bad byte is. */
    static final class NotUtf8 extends Exception {
        final int line;
        final int column;

        NotUtf8(int line, int column, String message) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    /**
     * The text of a UTF-8 file, without the byte order mark some Windows editors write first.
     * Strict: a byte that is not UTF-8 is an error at its line and column, never a replacement
     * character that would surface later as a puzzling "unknown node".
     */
    static String decodeUtf8(byte[] bytes) throws NotUtf8 {
        int length = bytes.length;
        if (length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF) || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw new NotUtf8(1, 1, String.format("not UTF-8: the file starts with the byte order mark of UTF-16 (0x%02X 0x%02X); "
                    + "save the file as UTF-8", bytes[0] & 0xFF, bytes[1] & 0xFF));
        }
        int start = length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, length - start);
        // UTF-8 never needs more chars than bytes (a 4-byte sequence is 2 chars).
        CharBuffer out = CharBuffer.allocate(length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int bad = in.position();
            out.flip();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < out.limit(); i++) {
                char c = out.get(i);
                // Line breaks as Jackson counts them, so this column matches the parser's: \n, \r, \r\n.
                if (c == '\n' || (c == '\r' && (i + 1 >= out.limit() || out.get(i + 1) != '\n'))) {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = out.limit() - lineStart + 1;
            throw new NotUtf8(line, column, String.format("not UTF-8: byte 0x%02X at line %d, column %d (offset %,d in the file) "
                    + "is not valid UTF-8; save the file as UTF-8", bytes[bad] & 0xFF, line, column, bad));
        }
        out.flip();
        return out.toString();
    }
}
