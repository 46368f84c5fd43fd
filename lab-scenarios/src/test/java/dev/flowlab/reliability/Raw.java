package dev.flowlab.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw TCP client: sends bytes exactly as given and reads what comes back, as a hostile client would. */
final class Raw {
    private Raw() {
    }

    static InetSocketAddress reachable(InetSocketAddress a) {
        return a;
    }

    /** Sends the bytes, half-closes nothing, reads until the server closes or {@code readMillis} pass without a byte. */
    static String exchange(InetSocketAddress to, byte[] request, int readMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 5_000);
            s.setSoTimeout(readMillis);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return readAll(s.getInputStream());
        }
    }

    static String exchange(InetSocketAddress to, String request) throws IOException {
        return exchange(to, request.getBytes(StandardCharsets.ISO_8859_1), 5_000);
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
                if (got.size() > 4 * 1024 * 1024) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived before the server went quiet (or reset) is the answer
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /** The status code of the first response in {@code text}, or -1 when there is none. */
    static int status(String text) {
        if (!text.startsWith("HTTP/1.")) {
            return -1;
        }
        return Integer.parseInt(text.substring(9, 12));
    }

    /** Every response's status in order (pipelined answers), each skipped by its Content-Length. */
    static java.util.List<Integer> statuses(String text) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        int at = 0;
        while (text.startsWith("HTTP/1.", at)) {
            out.add(Integer.parseInt(text.substring(at + 9, at + 12)));
            int end = text.indexOf("\r\n\r\n", at);
            if (end < 0) {
                break;
            }
            long length = 0;
            for (String line : text.substring(at, end).split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            at = (int) Math.min(text.length(), end + 4 + length);
        }
        return out;
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
