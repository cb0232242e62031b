package io.nostos.cli;

import io.nostos.catalog.SharedSessions;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JVM that stays up and runs {@code nostos run} for clients ({@link DaemonClient}), so that from
 * its second load on, classes are loaded and the JIT compiler's work is done: a load then costs what
 * a warm JVM's does.
 *
 * <p>Guarantees: one load at a time (a second client waits, and is told so); a load runs with the
 * client's working directory and environment, and only if the daemon's build, JDK and
 * {@code NOSTOS_*}/{@code AWS_*} variables are the client's ({@link DaemonFit}); if the client goes
 * away during its load (Ctrl-C), the daemon exits at once, which stops the load as Ctrl-C stops one
 * in a JVM of its own (nothing half-promoted; the next run cleans up). It listens on loopback only,
 * and every request must carry the token from its info file, which only its user can read. It exits
 * after {@code idleTimeout} without a load. It keeps each cluster's driver session open for 10
 * minutes after a load ({@link SharedSessions}), and opens a new one if the kept one lost the cluster.
 */
final class Daemon {
  /** How long a driver session is kept open after the load that used it. */
  private static final Duration KEEP_SESSIONS = Duration.ofMinutes(10);

  private final Path home;
  private final Duration idleTimeout;
  private final PrintStream log = System.err;
  private final Semaphore runPermit = new Semaphore(1, true);
  private final AtomicInteger loads = new AtomicInteger();
  private final Instant started = Instant.now();
  private volatile String running;
  private volatile Instant runningSince;
  private volatile Instant lastActivity = started;
  private DaemonInfo info;

  Daemon(Path home, Duration idleTimeout) {
    this.home = home;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Serves clients until stopped or idle for the idle timeout; its info file exists meanwhile.
   * Holds {@code daemon.lock} next to the info file all that time, so a second daemon of the same
   * home (two {@code nostos daemon start} at once) refuses to start instead of taking over the
   * info file and leaving the first running unseen. The lock dies with the process, even on kill -9.
   */
  void serve() throws IOException {
    Path file = DaemonInfo.file(home);
    Files.createDirectories(file.getParent());
    try (FileChannel lockFile = FileChannel.open(file.resolveSibling("daemon.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        throw new IllegalStateException("another daemon of " + home + " is running"
            + DaemonInfo.read(file).map(i -> " (pid " + i.pid() + ")").orElse("")
            + "; `nostos daemon status` shows it, `nostos daemon stop` stops it");
      }
      serveLocked(file);
    }
  }

  private void serveLocked(Path file) throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      info = new DaemonInfo(ProcessHandle.current().pid(), server.getLocalPort(), HexFormat.of().formatHex(secret),
          DaemonInfo.buildOf(), System.getProperty("java.home"), started.toEpochMilli());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> info.deleteIfStill(file)));
      info.write(file);
      // The next load finds the cluster's driver session open (0.1-0.4 s each, several per load).
      SharedSessions.keepIdleSessionsFor(keptSessions());
      log.printf("%s nostos daemon ready: pid %d, port %d, stops after %s idle%n", Instant.now(), info.pid(),
          info.port(), human(idleTimeout));
      server.setSoTimeout((int) Math.min(60_000, Math.max(1_000, idleTimeout.toMillis())));
      while (true) {
        Socket client;
        try {
          client = server.accept();
        } catch (SocketTimeoutException quiet) {
          if (running == null && Duration.between(lastActivity, Instant.now()).compareTo(idleTimeout) >= 0) {
            log.printf("%s idle for %s: exiting%n", Instant.now(), human(idleTimeout));
            return;
          }
          continue;
        }
        Thread t = new Thread(() -> handle(client), "nostos-daemon-client");
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private void handle(Socket socket) {
    try (socket) {
      socket.setSoTimeout(30_000);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      DaemonProtocol.Request r = DaemonProtocol.Request.readFrom(in);
      socket.setSoTimeout(0);
      if (!MessageDigest.isEqual(r.token().getBytes(StandardCharsets.UTF_8),
          info.token().getBytes(StandardCharsets.UTF_8))) {
        refuse(out, "wrong token (is the info file of another daemon?)");
        return;
      }
      switch (r.command()) {
        case "status" -> {
          text(out, DaemonProtocol.STDOUT, status());
          DaemonProtocol.writeExit(out, NostosCli.OK);
        }
        case "stop" -> stop(out);
        case "run" -> run(r, in, out);
        default -> refuse(out, "unknown command '" + r.command() + "'");
      }
    } catch (IOException e) {
      log.printf("%s a client's connection failed: %s%n", Instant.now(), e);
    }
  }

  private void run(DaemonProtocol.Request r, DataInputStream in, DataOutputStream out) throws IOException {
    Optional<String> why = DaemonFit.whyNot(info.build(), info.javaHome(), System.getenv(), r.build(), r.javaHome(),
        r.env());
    if (why.isPresent()) {
      refuse(out, why.get());
      return;
    }
    // The client sends nothing after its request: the end of its input means it is gone.
    AtomicBoolean finished = new AtomicBoolean();
    AtomicBoolean clientGone = new AtomicBoolean();
    AtomicBoolean loading = new AtomicBoolean();
    String what = String.join(" ", r.args());
    Thread watch = new Thread(() -> {
      try {
        while (in.read() >= 0) {
          // nothing more is expected
        }
      } catch (IOException e) {
        // the same as the end of input
      }
      clientGone.set(true);
      if (loading.get() && !finished.get()) {
        abandon(what);
      }
    }, "nostos-daemon-watch");
    watch.setDaemon(true);
    watch.start();
    if (!runPermit.tryAcquire()) {
      text(out, DaemonProtocol.STDERR, String.format("nostos: the daemon is busy (%s); this load waits for it%n",
          doing()));
      runPermit.acquireUninterruptibly();
    }
    try {
      if (clientGone.get()) {
        return;
      }
      runningSince = Instant.now();
      running = what;
      loading.set(true);
      text(out, DaemonProtocol.STARTED, String.format("nostos: running in the daemon (pid %d, up %s, load %d;"
          + " --no-daemon runs in this process)%n", info.pid(), human(Duration.between(started, Instant.now())),
          loads.incrementAndGet()));
      PrintStream o = new PrintStream(DaemonProtocol.frames(out, DaemonProtocol.STDOUT), true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(DaemonProtocol.frames(out, DaemonProtocol.STDERR), true, StandardCharsets.UTF_8);
      List<String> args = new ArrayList<>();
      args.add("run");
      args.addAll(r.args());
      int code = NostosCli.execute(new Invocation(Paths.get(r.cwd()), r.env()), o, e, args.toArray(new String[0]));
      o.flush();
      e.flush();
      finished.set(true);
      log.printf("%s run %s: exit %d after %d s%n", Instant.now(), what, code,
          Duration.between(runningSince, Instant.now()).toSeconds());
      DaemonProtocol.writeExit(out, code);
    } finally {
      running = null;
      lastActivity = Instant.now();
      runPermit.release();
    }
  }

  /** Ends this JVM while a load runs for a client that is gone: the load stops as if killed. */
  private void abandon(String what) {
    log.printf("%s the client of `run %s` went away (Ctrl-C?) before it finished: exiting, which stops the load;"
        + " the current version is unchanged and the next run cleans up%n", Instant.now(), what);
    log.flush();
    info.deleteIfStill(DaemonInfo.file(home));
    Runtime.getRuntime().halt(130);
  }

  private void stop(DataOutputStream out) throws IOException {
    if (!runPermit.tryAcquire()) {
      text(out, DaemonProtocol.STDERR, String.format("nostos: waiting for the daemon to finish (%s)%n", doing()));
      runPermit.acquireUninterruptibly();
    }
    text(out, DaemonProtocol.STDOUT, String.format("stopped the daemon (pid %d) after %d loads%n", info.pid(),
        loads.get()));
    DaemonProtocol.writeExit(out, NostosCli.OK);
    log.printf("%s stopped by nostos daemon stop%n", Instant.now());
    System.exit(0);
  }

  private Duration keptSessions() {
    return idleTimeout.compareTo(KEEP_SESSIONS) < 0 ? idleTimeout : KEEP_SESSIONS;
  }

  private String status() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("running: pid %d, up %s, %d loads, JDK %s%n", info.pid(),
        human(Duration.between(started, Instant.now())), loads.get(), info.javaHome()));
    if (running != null) {
      s.append(String.format("loading: %s%n", doing()));
    } else {
      s.append(String.format("idle for %s; exits after %s idle%n",
          human(Duration.between(lastActivity, Instant.now())), human(idleTimeout)));
    }
    s.append(String.format("driver sessions: %d opened since start, each kept %s after its last load%n",
        SharedSessions.sessionsOpened(), human(keptSessions())));
    s.append(String.format("log: %s%n", DaemonInfo.log(home)));
    return s.toString();
  }

  /** What the daemon is loading, for messages; read once, since the load may end meanwhile. */
  private String doing() {
    String what = running;
    Instant since = runningSince;
    return what == null || since == null ? "a load that is ending"
        : String.format("run %s, for %d s", what, Duration.between(since, Instant.now()).toSeconds());
  }

  private static void refuse(DataOutputStream out, String why) throws IOException {
    text(out, DaemonProtocol.REFUSED, why);
  }

  private static void text(DataOutputStream out, byte kind, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    DaemonProtocol.writeFrame(out, kind, b, 0, b.length);
  }

  /** A duration as a person reads it: 42 s, 12 min, 3 h 5 min. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return s / 60 + " min";
    }
    return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
  }
}
