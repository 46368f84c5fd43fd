package dev.flowlab.tier.lvs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw-socket keep-alive HTTP/1.1 exchange, so tests control exactly which connection a request uses. */
final class Http {
    private Http() {
    }

    static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, 3000);
        s.setSoTimeout(5000);
        return s;
    }

    /** Sends GET / on this connection and returns the response headers (lower-case names) plus ":status". */
    static Map<String, String> get(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: www.taobao.lab\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the response");
            }
            head.append((char) b);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.toString().split("\r\n");
        headers.put(":status", lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        in.readNBytes(length);
        return headers;
    }

    /** One request on a fresh connection; returns who served it. */
    static String servedBy(InetSocketAddress to) throws IOException {
        try (Socket s = connect(to)) {
            return get(s).get("x-served-by");
        }
    }
}
