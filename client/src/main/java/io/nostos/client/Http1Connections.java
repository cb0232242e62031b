package io.nostos.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Blocking HTTP/1.1 exchanges with one server over a pool of persistent connections (plain or
 * TLS). The calling thread writes the request and reads the answer itself: no selector thread,
 * no hand-off per request, which makes a read about ten times cheaper in CPU than with
 * {@code java.net.http} (docs/benchmarks.md, serve).
 *
 * <p>Reads {@code Content-Length}, chunked and read-to-close bodies. When a pooled connection
 * fails (the server closed it while idle), the exchange is sent again on a new connection, which
 * is safe because the client only sends reads; failures on a new connection are thrown. Connections idle longer
 * than {@link #MAX_IDLE} are closed rather than reused. Thread safe.
 */
final class Http1Connections implements Closeable {
  /** Servers commonly close idle connections after 30 s (Jetty's default); stay under that. */
  static final Duration MAX_IDLE = Duration.ofSeconds(20);
  private static final int MAX_POOLED = 256;
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 256 * 1024 * 1024;

  /** One answer: status and body text. */
  record Response(int status, String body) {}

  private final String host;
  private final int port;
  private final boolean tls;
  private final String hostHeader;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

  Http1Connections(URI origin) {
    if (origin.getHost() == null) {
      throw new IllegalArgumentException("no host in " + origin + "; expected e.g. http://127.0.0.1:8080");
    }
    this.host = origin.getHost();
    this.tls = "https".equalsIgnoreCase(origin.getScheme());
    this.port = origin.getPort() > 0 ? origin.getPort() : (tls ? 443 : 80);
    this.hostHeader = origin.getPort() > 0 ? host + ":" + port : host;
  }

  /**
   * Sends {@code method target} with optional headers ({@code name: value} lines) and a JSON
   * body, and reads the answer; {@code timeout} bounds the connect and each wait for the server.
   */
  Response exchange(String method, String target, String extraHeaders, byte[] jsonBody, Duration timeout)
      throws IOException {
    byte[] request = request(method, target, extraHeaders, jsonBody);
    while (true) {
      Connection c = idle.pollFirst();
      boolean reused = c != null;
      if (c != null && c.idleSince + MAX_IDLE.toNanos() < System.nanoTime()) {
        c.close();
        continue;
      }
      if (c == null) {
        c = open(timeout);
      }
      try {
        c.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        c.out.write(request);
        c.out.flush();
        Parsed answer = read(c.in, reused);
        if (answer == null) {
          c.close();  // closed by the server while pooled: send again on a new connection
          continue;
        }
        if (answer.keepAlive && idle.size() < MAX_POOLED) {
          c.idleSince = System.nanoTime();
          idle.addFirst(c);
        } else {
          c.close();
        }
        return new Response(answer.status, answer.body);
      } catch (java.net.SocketTimeoutException e) {
        c.close();
        throw e;
      } catch (IOException e) {
        c.close();
        if (reused) {
          continue;  // reset or broken pipe on a pooled connection: the server dropped it while idle
        }
        throw e;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    }
  }

  @Override
  public void close() {
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      c.close();
    }
  }

  private byte[] request(String method, String target, String extraHeaders, byte[] body) {
    StringBuilder head = new StringBuilder(256)
        .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(hostHeader).append("\r\n")
        .append("Accept: application/json\r\n")
        .append("User-Agent: nostos-java-client\r\n")
        .append(extraHeaders);
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
    if (body == null) {
      return h;
    }
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  private Connection open(Duration timeout) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
      s.setTcpNoDelay(true);
      if (tls) {
        SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        s = ssl;
      }
      return new Connection(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private record Parsed(int status, String body, boolean keepAlive) {}

  /** The answer, or null if the connection was closed before its first byte and {@code reused}. */
  private static Parsed read(InputStream in, boolean reused) throws IOException {
    while (true) {
      String statusLine = line(in, reused);
      if (statusLine == null) {
        return null;
      }
      reused = false;
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.x answer: " + abbreviate(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(statusLine.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("bad HTTP status line: " + abbreviate(statusLine), e);
      }
      boolean http10 = statusLine.startsWith("HTTP/1.0");
      long length = -1;
      boolean chunked = false;
      Boolean close = null;
      int headerBytes = 0;
      for (String h = line(in, false); !h.isEmpty(); h = line(in, false)) {
        headerBytes += h.length();
        if (headerBytes > MAX_HEADER_BYTES) {
          throw new IOException("the answer's headers exceed " + MAX_HEADER_BYTES + " bytes");
        }
        int colon = h.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = parseLength(value);
          case "transfer-encoding" -> chunked = value.endsWith("chunked");
          case "connection" -> close = value.contains("close") ? Boolean.TRUE : value.contains("keep-alive") ? Boolean.FALSE : close;
          default -> { }
        }
      }
      if (status >= 100 && status < 200) {
        continue;  // 100 Continue and friends: the real answer follows
      }
      boolean keepAlive = close == null ? !http10 : !close;
      byte[] body;
      if (status == 204 || status == 304) {
        body = new byte[0];
      } else if (chunked) {
        body = chunked(in);
      } else if (length >= 0) {
        body = exactly(in, length);
      } else {
        body = toEnd(in);
        keepAlive = false;
      }
      return new Parsed(status, new String(body, StandardCharsets.UTF_8), keepAlive);
    }
  }

  private static long parseLength(String value) throws IOException {
    try {
      long n = Long.parseLong(value);
      if (n < 0 || n > MAX_BODY_BYTES) {
        throw new IOException("answer body of " + n + " bytes is out of bounds (at most " + MAX_BODY_BYTES + ")");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + value, e);
    }
  }

  private static byte[] exactly(InputStream in, long length) throws IOException {
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw new IOException("the connection closed after " + body.length + " of " + length + " body bytes");
    }
    return body;
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, false);
      int semicolon = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + abbreviate(sizeLine), e);
      }
      if (size == 0) {
        for (String trailer = line(in, false); !trailer.isEmpty(); trailer = line(in, false)) {
          // trailers carry nothing the client uses
        }
        return body.toByteArray();
      }
      if (size < 0 || body.size() + size > MAX_BODY_BYTES) {
        throw new IOException("answer body exceeds " + MAX_BODY_BYTES + " bytes");
      }
      body.write(exactly(in, size));
      if (!line(in, false).isEmpty()) {
        throw new IOException("a chunk is not followed by CRLF");
      }
    }
  }

  private static byte[] toEnd(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new IOException("answer body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    return body;
  }

  /**
   * One CRLF- (or LF-) terminated line without its terminator. At end of stream: null if nothing
   * was read and {@code nullAtStart}, else an IOException.
   */
  private static String line(InputStream in, boolean nullAtStart) throws IOException {
    StringBuilder s = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (s.length() == 0 && nullAtStart) {
          return null;
        }
        throw new IOException("the server closed the connection in the middle of an answer");
      }
      if (c == '\n') {
        int end = s.length() > 0 && s.charAt(s.length() - 1) == '\r' ? s.length() - 1 : s.length();
        return s.substring(0, end);
      }
      if (s.length() >= MAX_HEADER_BYTES) {
        throw new IOException("an answer line exceeds " + MAX_HEADER_BYTES + " bytes");
      }
      s.append((char) c);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  private static final class Connection {
    final Socket socket;
    final OutputStream out;
    final InputStream in;
    long idleSince;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
      this.in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a connection we are discarding: nothing to recover
      }
    }
  }
}
