package io.nostos.sstable.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real single Cassandra 5.0 node run from the cassandra-all Maven classpath in its own JVM, with
 * its configuration, data and logs under one home directory:
 *
 * <pre>
 *   home/conf/cassandra.yaml, home/conf/logback.xml
 *   home/data/...            (data, commitlog, hints, saved_caches)
 *   home/logs/system.log, home/logs/stdout.log
 *   home/node.pid, home/ports
 * </pre>
 *
 * Used by {@code nostos dev up|down|status} and by the integration tests. {@link #start} refuses
 * to start a second node on the same home; {@link #stop} stops exactly the process recorded in
 * {@code node.pid}, after checking that its command line names this home.
 */
public final class LocalCassandraNode {
  private static final String CLASSPATH_RESOURCE = "cassandra.classpath";
  private static final List<String> JVM_FLAGS = List.of(
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "-Djdk.attach.allowAttachSelf=true",
      "-XX:+UseG1GC",
      "-XX:+ExitOnOutOfMemoryError",
      "-Djava.net.preferIPv4Stack=true",
      "-Dcassandra-foreground=yes",
      "-Dcassandra.ring_delay_ms=1000",
      "-Dcassandra.skip_wait_for_gossip_to_settle=0");

  /** The node's ports: CQL, internode (streaming) and JMX. */
  public record Ports(int nativePort, int storagePort, int jmxPort) {
    /** The ports of the dev node: Cassandra's defaults. */
    public static Ports defaults() {
      return new Ports(9042, 7000, 7199);
    }

    /** Three free ports on loopback, for a test node. */
    public static Ports free() {
      return new Ports(freePort(), freePort(), freePort());
    }
  }

  private final Path home;
  private final Ports ports;
  private final String heap;

  public LocalCassandraNode(Path home, Ports ports, String heap) {
    this.home = home.toAbsolutePath().normalize();
    this.ports = ports;
    this.heap = heap;
  }

  public Path home() {
    return home;
  }

  public Ports ports() {
    return ports;
  }

  /** {@code 127.0.0.1:<native port>}. */
  public String contactPoint() {
    return "127.0.0.1:" + ports.nativePort();
  }

  /** The data directory (where keyspaces and snapshots live). */
  public Path dataDirectory() {
    return home.resolve("data").resolve("data");
  }

  /** The recorded ports of the node whose home is {@code home}, if one was started there. */
  public static Optional<Ports> recordedPorts(Path home) {
    Path f = home.resolve("ports");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      String[] p = Files.readString(f).trim().split("\\s+");
      return Optional.of(new Ports(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The running node process of this home, if any. */
  public Optional<ProcessHandle> process() {
    Path pidFile = home.resolve("node.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private boolean isOurs(ProcessHandle p) {
    return p.info().arguments()
        .map(args -> String.join(" ", args).contains("-Dcassandra.storagedir=" + home.resolve("data")))
        .orElse(p.info().commandLine().map(c -> c.contains(home.toString())).orElse(true));
  }

  /** Whether the node answers on its CQL port. */
  public boolean isServing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", ports.nativePort()), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Starts the node and waits until CQL answers.
   *
   * @throws IllegalStateException if a node already runs on this home, a port is taken, or the
   *     node does not come up in time (the message points at its log)
   */
  public ProcessHandle start(Duration timeout) {
    Optional<ProcessHandle> running = process();
    if (running.isPresent()) {
      throw new AlreadyRunningException("a Cassandra node is already running from " + home + " (pid "
          + running.get().pid() + ", CQL on " + contactPoint() + ")");
    }
    for (int port : new int[] {ports.nativePort(), ports.storagePort(), ports.jmxPort()}) {
      if (!portIsFree(port)) {
        throw new IllegalStateException("port " + port + " on 127.0.0.1 is already in use; stop what uses it "
            + "or run another node with other ports");
      }
    }
    try {
      Files.createDirectories(home.resolve("conf"));
      Files.createDirectories(home.resolve("logs"));
      Files.createDirectories(home.resolve("data"));
      Files.writeString(home.resolve("conf/cassandra.yaml"), NodeConfig.yaml(ports));
      Files.writeString(home.resolve("conf/logback.xml"), NodeConfig.logback());
      Files.writeString(home.resolve("ports"), ports.nativePort() + " " + ports.storagePort() + " " + ports.jmxPort());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + home, e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(NodeJava.command());
    cmd.add("-Xms" + heap);
    cmd.add("-Xmx" + heap);
    cmd.addAll(JVM_FLAGS);
    cmd.add("-Dcassandra.config=" + home.resolve("conf/cassandra.yaml").toUri());
    cmd.add("-Dcassandra.storagedir=" + home.resolve("data"));
    cmd.add("-Dcassandra.logdir=" + home.resolve("logs"));
    cmd.add("-Dlogback.configurationFile=" + home.resolve("conf/logback.xml"));
    cmd.add("-Dcassandra.jmx.local.port=" + ports.jmxPort());
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add("org.apache.cassandra.service.CassandraDaemon");
    Path stdout = home.resolve("logs/stdout.log");
    Process process;
    try {
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      Files.writeString(home.resolve("node.pid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Cassandra JVM", e);
    }
    Instant deadline = Instant.now().plus(timeout);
    while (!isServing()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the Cassandra node exited with code " + process.exitValue()
            + " during startup; see " + stdout + " and " + home.resolve("logs/system.log") + tail(stdout));
      }
      if (Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new IllegalStateException("the Cassandra node did not answer CQL on " + contactPoint() + " within "
            + timeout.toSeconds() + " s; see " + home.resolve("logs/system.log"));
      }
      pause(200);
    }
    return process.toHandle();
  }

  /** Stops the node of this home, if running, and waits for it to exit. Returns whether one ran. */
  public boolean stop(Duration timeout) {
    Optional<ProcessHandle> p = process();
    if (p.isEmpty()) {
      return false;
    }
    ProcessHandle h = p.get();
    h.destroy();
    try {
      h.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
      h.onExit().join();
    }
    try {
      Files.deleteIfExists(home.resolve("node.pid"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return true;
  }

  private static String classpath() {
    try (InputStream in = LocalCassandraNode.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the Cassandra node classpath is missing from the build; run ./mvnw package");
      }
      String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      String own = Path.of(LocalCassandraNode.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      return cp + java.io.File.pathSeparator + own;
    } catch (IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot read the Cassandra node classpath", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n  last log lines:\n    " + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean portIsFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the node", e);
    }
  }

  /** Thrown by {@link #start} when a node already runs from the same home. */
  public static final class AlreadyRunningException extends IllegalStateException {
    AlreadyRunningException(String message) {
      super(message);
    }
  }
}
