package dev.flowlab.tier.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A raw-socket HTTP/1.1 client for tests that need control over the bytes and the connection. */
final class RawHttp implements AutoCloseable {
    /** {@code statusLine} and {@code names} as sent (the names' case and order); {@code headers} by lower-case name. */
    record Response(int status, String statusLine, List<String> names, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(10_000);
        return new RawHttp(s);
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: www.taobao.lab\r\n\r\n";
    }

    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawHttp soTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
        return this;
    }

    Response exchange(String request) throws IOException {
        return send(request).read();
    }

    /** Reads one response (body by Content-Length); EOFException when the server closed first. */
    Response read() throws IOException {
        String status = line();
        if (status == null) {
            throw new EOFException("connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            names.add(l.substring(0, colon));
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("body cut short");
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), status, names, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closed (FIN or RST) before the socket timeout; false if it timed out or sent bytes. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** True when nothing arrives (and the connection stays open) for the given time. */
    boolean silentFor(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
