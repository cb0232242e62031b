package io.nostos.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's HTTP/1.1 transport against a scripted server on loopback: what each path answers
 * is written byte for byte, so every framing the transport must read is exercised exactly.
 */
class Http1ConnectionsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private Http1Connections http;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0);
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          Thread t = new Thread(() -> serve(s), "scripted-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, "scripted-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    http = new Http1Connections(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"));
  }

  @AfterEach
  void stop() throws IOException {
    http.close();
    server.close();
  }

  /** Answers requests on one connection as the path says, until the client or the script closes it. */
  private void serve(Socket s) {
    try (s) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      String requestLine;
      while ((requestLine = in.readLine()) != null) {
        StringBuilder request = new StringBuilder(requestLine);
        int length = 0;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
          request.append('|').append(h);
          if (h.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(h.substring(15).trim());
          }
        }
        char[] body = new char[length];
        for (int read = 0; read < length; ) {
          read += in.read(body, read, length - read);
        }
        if (length > 0) {
          request.append('|').append(body);
        }
        requests.add(request.toString());
        String path = requestLine.split(" ")[1];
        switch (path) {
          case "/length" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
          case "/chunked" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "4;ext=1\r\n{\"a\"\r\n3\r\n:2}\r\n0\r\nX-Trailer: t\r\n\r\n");
          case "/continue" -> write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
          case "/then-close" -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
            return;  // closes the connection without saying so, as an idle timeout would
          }
          case "/to-eof" -> {
            write(out, "HTTP/1.0 200 OK\r\n\r\n{\"eof\":true}");
            return;
          }
          case "/silent" -> {
            continue;  // never answers
          }
          case "/short" -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}");
            return;
          }
          default -> write(out, "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void write(OutputStream out, String answer) throws IOException {
    out.write(answer.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void readsLengthAndChunkedAnswersOverOneKeptAliveConnection() throws IOException {
    assertThat(http.exchange("GET", "/length", "", null, TIMEOUT)).isEqualTo(new Http1Connections.Response(200, "{\"a\":1}"));
    assertThat(http.exchange("GET", "/chunked", "", null, TIMEOUT)).isEqualTo(new Http1Connections.Response(200, "{\"a\":2}"));
    assertThat(http.exchange("GET", "/continue", "", null, TIMEOUT)).isEqualTo(new Http1Connections.Response(404, "{}"));
    assertThat(connections.get()).isEqualTo(1);
    assertThat(requests).containsExactly(
        "GET /length HTTP/1.1|Host: 127.0.0.1:" + server.getLocalPort() + "|Accept: application/json|User-Agent: nostos-java-client",
        "GET /chunked HTTP/1.1|Host: 127.0.0.1:" + server.getLocalPort() + "|Accept: application/json|User-Agent: nostos-java-client",
        "GET /continue HTTP/1.1|Host: 127.0.0.1:" + server.getLocalPort() + "|Accept: application/json|User-Agent: nostos-java-client");
  }

  @Test
  void sendsHeadersAndAJsonBody() throws IOException {
    http.exchange("POST", "/length", "Authorization: Bearer t\r\n", "{\"keys\":[\"é\"]}".getBytes(StandardCharsets.UTF_8), TIMEOUT);
    assertThat(requests).containsExactly("POST /length HTTP/1.1|Host: 127.0.0.1:" + server.getLocalPort()
        + "|Accept: application/json|User-Agent: nostos-java-client|Authorization: Bearer t"
        + "|Content-Type: application/json|Content-Length: 15|{\"keys\":[\"\u00c3\u00a9\"]}");
  }

  @Test
  void aPooledConnectionTheServerClosedIsReplacedWithoutAnError() throws IOException {
    assertThat(http.exchange("GET", "/then-close", "", null, TIMEOUT).body()).isEqualTo("{}");
    assertThat(http.exchange("GET", "/length", "", null, TIMEOUT).body()).isEqualTo("{\"a\":1}");
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void anAnswerWithoutLengthIsReadToTheEndAndItsConnectionNotReused() throws IOException {
    assertThat(http.exchange("GET", "/to-eof", "", null, TIMEOUT)).isEqualTo(new Http1Connections.Response(200, "{\"eof\":true}"));
    http.exchange("GET", "/length", "", null, TIMEOUT);
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void aTruncatedAnswerOrASilentServerFailsOnANewConnection() {
    assertThatThrownBy(() -> http.exchange("GET", "/short", "", null, TIMEOUT))
        .isInstanceOf(IOException.class).hasMessage("the connection closed after 2 of 10 body bytes");
    assertThatThrownBy(() -> http.exchange("GET", "/silent", "", null, Duration.ofMillis(200)))
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void anAddressWithoutHostIsRefusedUpFront() {
    assertThatThrownBy(() -> NostosClient.builder("http:///v1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no host in http:///v1/; expected e.g. http://127.0.0.1:8080");
  }
}
