package io.nostos.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.function.Predicate;

/** What the tests' servers in processes of their own (s3proxy, Flink) share: a java, a port, a ready line. */
final class TestProcesses {
  /** What a process printed before it said it was ready, and whether it did (false: it exited first). */
  record Startup(String before, boolean ready) {}

  private TestProcesses() {}

  /** The java of this JVM. */
  static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A TCP port that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Reads {@code p}'s output until a line that {@code ready} accepts; if there is one, the rest of
   * the output is read and dropped on a daemon thread named {@code drainer}, so that the process
   * never blocks on a full pipe.
   */
  static Startup awaitReady(Process p, Predicate<String> ready, String drainer) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder before = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null && !ready.test(line)) {
      before.append(line).append('\n');
    }
    if (line != null) {
      Thread drain = new Thread(() -> out.lines().forEach(l -> { }), drainer);
      drain.setDaemon(true);
      drain.start();
    }
    return new Startup(before.toString(), line != null);
  }
}
