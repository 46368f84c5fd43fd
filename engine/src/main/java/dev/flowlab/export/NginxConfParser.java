package dev.flowlab.export;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads nginx.conf as nginx does: words separated by blanks, a directive ends at {@code ;} or opens a block with
 * {@code {}, {@code #} starts a comment to the end of the line, {@code "..."} and {@code '...'} quote a word (a
 * backslash escapes the next character), {@code ${name}} keeps its braces. {@code include} is resolved here, relative
 * to the including file's folder (with nginx's {@code *} and {@code ?} wildcards), so the tree the importer walks is the
 * file with its includes in place; every directive keeps the file, line and column it came from.
 */
public final class NginxConfParser {
    /** A configuration file too deep in includes (nginx has no limit; a loop would never end). */
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final long MAX_FILE_BYTES = 4L << 20;

    /**
     * One directive: its name and arguments (unquoted), its block's directives (null for a simple directive), where it
     * was written, and the comment lines written just above it (without the {@code #}).
     */
    public record Directive(String name, List<String> args, List<Directive> block, String file, int line, int column, List<String> comments) {
        /** "name arg1 arg2", as the report quotes it. */
        public String text() {
            StringBuilder b = new StringBuilder(name);
            for (String a : args) {
                b.append(' ').append(a.isEmpty() || a.matches(".*[\\s;{}#].*") ? "\"" + a + "\"" : a);
            }
            return b.toString();
        }

        public String where() {
            return file + ":" + line;
        }

        public String arg(int i) {
            return i < args.size() ? args.get(i) : null;
        }
    }

    /** A syntax error at file:line:col, or a file that cannot be read (line 0). */
    public static final class SyntaxError extends Exception {
        private final String file;
        private final int line;
        private final int column;

        SyntaxError(String file, int line, int column, String message) {
            super(file + (line > 0 ? ":" + line + ":" + column : "") + ": " + message);
            this.file = file;
            this.line = line;
            this.column = column;
        }

        public String file() {
            return file;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** Files read for one parse, includes counted: a file that includes itself twice would otherwise double at each level. */
    private static final int MAX_FILES = 256;

    private final Path base;
    private int filesRead;

    private NginxConfParser(Path base) {
        this.base = base;
    }

    /** The file's directives, includes in place. File names in positions are relative to the file's folder. */
    public static List<Directive> parse(Path file) throws SyntaxError {
        Path abs = file.toAbsolutePath().normalize();
        return new NginxConfParser(abs.getParent()).read(abs, 0);
    }

    /** Text as if it were the file {@code name} (includes relative to {@code dir}). */
    public static List<Directive> parse(String text, String name, Path dir) throws SyntaxError {
        NginxConfParser p = new NginxConfParser(dir.toAbsolutePath().normalize());
        return p.parseText(text, name, dir.toAbsolutePath().normalize(), 0);
    }

    private String display(Path file) {
        Path rel = base.relativize(file);
        return rel.toString().isEmpty() ? file.toString() : rel.toString();
    }

    private List<Directive> read(Path file, int depth) throws SyntaxError {
        String name = display(file);
        if (++filesRead > MAX_FILES) {
            throw new SyntaxError(name, 0, 0, "more than " + MAX_FILES + " files included (an include loop?)");
        }
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new SyntaxError(name, 0, 0, "the file is larger than 4 MB, so it was not read");
            }
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SyntaxError(name, 0, 0, "cannot read the file: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        return parseText(text, name, file.getParent(), depth);
    }

    private List<Directive> parseText(String text, String name, Path dir, int depth) throws SyntaxError {
        Lexer lx = new Lexer(text, name);
        Deque<List<Directive>> stack = new ArrayDeque<>();
        Deque<int[]> opened = new ArrayDeque<>();
        List<Directive> current = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int line = 0;
        int col = 0;
        List<String> comments = new ArrayList<>();
        List<String> pendingComments = new ArrayList<>();
        Deque<String> blockNames = new ArrayDeque<>();
        Deque<Object[]> headers = new ArrayDeque<>();
        int lastEnd = -1;
        while (true) {
            Token t = lx.next();
            if (t == null) {
                if (!words.isEmpty()) {
                    throw new SyntaxError(name, lx.line, lx.col, "unexpected end of file, expecting \";\" or \"}\" after \"" + words.get(0) + "\"");
                }
                if (!stack.isEmpty()) {
                    int[] at = opened.peek();
                    throw new SyntaxError(name, lx.line, lx.col, "unexpected end of file, expecting \"}\" (the block \"" + blockNames.peek()
                            + "\" opened at line " + at[0] + " is not closed)");
                }
                return current;
            }
            switch (t.kind) {
                case COMMENT -> {
                    // a comment after a directive on its line is that directive's, not the next one's
                    if (words.isEmpty() && t.line != lastEnd) {
                        pendingComments.add(t.text);
                    }
                }
                case BLANK_LINE -> {
                    if (words.isEmpty()) {
                        pendingComments.clear();
                    }
                }
                case WORD -> {
                    if (words.isEmpty()) {
                        line = t.line;
                        col = t.col;
                        comments = List.copyOf(pendingComments);
                        pendingComments.clear();
                    }
                    words.add(t.text);
                }
                case SEMI -> {
                    if (words.isEmpty()) {
                        throw new SyntaxError(name, t.line, t.col, "unexpected \";\"");
                    }
                    Directive d = new Directive(words.get(0), List.copyOf(words.subList(1, words.size())), null, name, line, col, comments);
                    words.clear();
                    lastEnd = t.line;
                    if (d.name().equals("include")) {
                        current.addAll(include(d, dir, depth));
                    } else {
                        current.add(d);
                    }
                }
                case OPEN -> {
                    if (words.isEmpty()) {
                        throw new SyntaxError(name, t.line, t.col, "unexpected \"{\"");
                    }
                    stack.push(current);
                    opened.push(new int[] {line, col});
                    blockNames.push(words.get(0));
                    headers.push(new Object[] {words.get(0), List.copyOf(words.subList(1, words.size())), line, col, comments});
                    current = new ArrayList<>();
                    words.clear();
                    lastEnd = t.line;
                }
                case CLOSE -> {
                    if (!words.isEmpty()) {
                        throw new SyntaxError(name, t.line, t.col, "unexpected \"}\": the directive \"" + words.get(0) + "\" has no \";\"");
                    }
                    if (stack.isEmpty()) {
                        throw new SyntaxError(name, t.line, t.col, "unexpected \"}\"");
                    }
                    Object[] h = headers.pop();
                    opened.pop();
                    blockNames.pop();
                    @SuppressWarnings("unchecked")
                    Directive d = new Directive((String) h[0], (List<String>) h[1], List.copyOf(current), name, (int) h[2], (int) h[3],
                            (List<String>) h[4]);
                    current = stack.pop();
                    current.add(d);
                    pendingComments.clear();
                    lastEnd = t.line;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private List<Directive> include(Directive d, Path dir, int depth) throws SyntaxError {
        if (d.args().size() != 1) {
            throw new SyntaxError(d.file(), d.line(), d.column(), "invalid number of arguments in \"include\" directive");
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new SyntaxError(d.file(), d.line(), d.column(), "includes nested deeper than " + MAX_INCLUDE_DEPTH + " (an include loop?)");
        }
        String pattern = d.arg(0);
        Path target = dir.resolve(pattern);
        List<Path> files = new ArrayList<>();
        if (pattern.contains("*") || pattern.contains("?") || pattern.contains("[")) {
            Path folder = target.getParent();
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + target.getFileName());
            if (Files.isDirectory(folder)) {
                try (var list = Files.list(folder)) {
                    list.filter(p -> m.matches(p.getFileName()) && Files.isRegularFile(p)).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new SyntaxError(d.file(), d.line(), d.column(), "include " + pattern + ": cannot list " + folder + ": " + e.getMessage());
                }
            }
        } else {
            if (!Files.isRegularFile(target)) {
                throw new SyntaxError(d.file(), d.line(), d.column(), "include " + pattern + ": no such file (" + target + ")");
            }
            files.add(target);
        }
        List<Directive> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(read(f.toAbsolutePath().normalize(), depth + 1));
        }
        return out;
    }

    private enum Kind { WORD, SEMI, OPEN, CLOSE, COMMENT, BLANK_LINE }

    private record Token(Kind kind, String text, int line, int col) {
    }

    /** nginx's tokenizer (ngx_conf_read_token), positions 1-based. */
    private static final class Lexer {
        private final String s;
        private final String name;
        private int i;
        int line = 1;
        int col = 1;
        private int newlinesInBlank;

        Lexer(String s, String name) {
            this.s = s;
            this.name = name;
        }

        private char advance() {
            char c = s.charAt(i++);
            if (c == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            return c;
        }

        Token next() throws SyntaxError {
            newlinesInBlank = 0;
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                if (advance() == '\n' && ++newlinesInBlank >= 2) {
                    return new Token(Kind.BLANK_LINE, "", line, col);
                }
            }
            if (i >= s.length()) {
                return null;
            }
            int l = line;
            int c = col;
            char ch = s.charAt(i);
            switch (ch) {
                case ';' -> {
                    advance();
                    return new Token(Kind.SEMI, ";", l, c);
                }
                case '{' -> {
                    advance();
                    return new Token(Kind.OPEN, "{", l, c);
                }
                case '}' -> {
                    advance();
                    return new Token(Kind.CLOSE, "}", l, c);
                }
                case '#' -> {
                    int start = i + 1;
                    while (i < s.length() && s.charAt(i) != '\n') {
                        advance();
                    }
                    return new Token(Kind.COMMENT, s.substring(start, i).strip(), l, c);
                }
                case '"', '\'' -> {
                    advance();
                    StringBuilder b = new StringBuilder();
                    while (true) {
                        if (i >= s.length()) {
                            throw new SyntaxError(name, l, c, "unexpected end of file: the quoted string opened here has no closing " + ch);
                        }
                        char x = advance();
                        if (x == '\\' && i < s.length()) {
                            char y = advance();
                            // nginx keeps a backslash before anything but the quote, another backslash, t, r, n
                            switch (y) {
                                case '"', '\'', '\\' -> b.append(y);
                                case 't' -> b.append('\t');
                                case 'r' -> b.append('\r');
                                case 'n' -> b.append('\n');
                                default -> b.append('\\').append(y);
                            }
                        } else if (x == ch) {
                            break;
                        } else {
                            b.append(x);
                        }
                    }
                    if (i < s.length() && !Character.isWhitespace(s.charAt(i)) && ";{}".indexOf(s.charAt(i)) < 0) {
                        throw new SyntaxError(name, line, col, "unexpected \"" + s.charAt(i) + "\" after the quoted string");
                    }
                    return new Token(Kind.WORD, b.toString(), l, c);
                }
                default -> {
                    StringBuilder b = new StringBuilder();
                    while (i < s.length()) {
                        char x = s.charAt(i);
                        boolean variableBrace = x == '{' && b.length() > 0 && b.charAt(b.length() - 1) == '$';
                        if (Character.isWhitespace(x) || x == ';' || x == '{' && !variableBrace) {
                            break;
                        }
                        if (x == '}' && !inVariable(b)) {
                            break;
                        }
                        if (x == '\\' && i + 1 < s.length()) {
                            advance();
                            b.append('\\').append(advance());
                            continue;
                        }
                        b.append(advance());
                    }
                    return new Token(Kind.WORD, b.toString(), l, c);
                }
            }
        }

        /** Inside "${name": a closing brace ends the variable, not a block. */
        private static boolean inVariable(StringBuilder b) {
            int open = b.lastIndexOf("${");
            return open >= 0 && b.indexOf("}", open) < 0;
        }
    }
}
