package io.nostos.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = {"Keeps a JVM up that runs `nostos run` for you, one load at a time: from its second load on, "
        + "nothing is loaded or compiled again, which takes about half off a load (docs/benchmarks.md, round 8).",
        "While it is up, `nostos run` hands its load to it (with this shell's working directory and environment) "
            + "and prints what it prints; `run --no-daemon` runs in a JVM of its own. It is not used when it runs "
            + "another build of Nostos, another JDK, or other values of NOSTOS_* or AWS_* variables: the run then "
            + "says so and runs in a JVM of its own.",
        "Ctrl-C during a load stops the daemon too (the load stops; the current version is unchanged).",
        "Its log is .nostos/daemon/daemon.log."})
final class DaemonCommand implements Callable<Integer> {
  @Parameters(paramLabel = "start|stop|status", description = "start: start it in the background and wait until it "
      + "answers; stop: stop it once its load (if any) ends; status: what it is doing.")
  String action;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "3h",
      description = "With start: exit after this long without a load, e.g. 30m, 3h (default: ${DEFAULT-VALUE}).")
  String idleTimeout;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path home = NostosHome.dir();
    switch (action) {
      case "start":
        return start(home, parseDuration(idleTimeout));
      case "stop":
        return stop(home);
      case "status":
        if (DaemonClient.call(home, "status", List.of(), Output.out, System.err) == DaemonClient.NOT_SERVED) {
          Output.out.println("no daemon is running (start one with: nostos daemon start)");
          return NostosCli.FAILED;
        }
        return NostosCli.OK;
      case "serve":  // the daemon itself, started by start
        new Daemon(home, parseDuration(idleTimeout)).serve();
        return NostosCli.OK;
      default:
        throw new NostosCli.UsageException("unknown action '" + action + "'; use start, stop or status");
    }
  }

  private static int start(Path home, Duration idle) throws IOException, InterruptedException {
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    if (DaemonClient.call(home, "status", List.of(), quiet, quiet) != DaemonClient.NOT_SERVED) {
      return printStatus(home, "already running:");
    }
    Path info = DaemonInfo.file(home);
    Path log = DaemonInfo.log(home);
    Files.createDirectories(info.getParent());
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Paths.get("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");  // its own session: closing this terminal does not stop it
    }
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NostosCli.class.getName(), "daemon", "serve",
        "--idle-timeout=" + idle.toSeconds() + "s"));
    long launched = Instant.now().toEpochMilli();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Optional<DaemonInfo> up = DaemonInfo.read(info).filter(i -> i.startedMillis() >= launched - 1_000);
      if (up.isPresent() && DaemonClient.call(home, "status", List.of(), quiet, quiet) == NostosCli.OK) {
        Output.out.printf("the daemon is up: pid %d; `nostos run` uses it until `nostos daemon stop` or %s without"
            + " a load (log: %s)%n", up.get().pid(), Daemon.human(idle), log);
        return NostosCli.OK;
      }
      // Waiting on the process itself: a daemon that fails to start is seen at once.
      boolean exited = p.waitFor(100, TimeUnit.MILLISECONDS);
      if (exited && DaemonClient.call(home, "status", List.of(), quiet, quiet) == NostosCli.OK) {
        // Another `daemon start` won the race for the daemon's lock: that daemon is the one.
        return printStatus(home, "already running (started meanwhile):");
      }
      if (exited || System.nanoTime() > deadline) {
        p.destroy();
        throw new IllegalStateException("the daemon did not start" + (exited ? "" : " within 60 s")
            + "; its log " + log + " ends with:\n" + tail(log, 15));
      }
    }
  }

  private static int printStatus(Path home, String heading) {
    Output.out.println(heading);
    return DaemonClient.call(home, "status", List.of(), Output.out, System.err);
  }

  private static int stop(Path home) {
    Optional<DaemonInfo> info = DaemonInfo.read(DaemonInfo.file(home));
    int code = DaemonClient.call(home, "stop", List.of(), Output.out, System.err);
    if (code == DaemonClient.NOT_SERVED) {
      Output.out.println("no daemon is running");
      return NostosCli.OK;
    }
    info.flatMap(i -> ProcessHandle.of(i.pid())).ifPresent(h -> {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the daemon (pid " + h.pid() + ") said it stops, but is still running", e);
      }
    });
    return code;
  }

  /**
   * The daemon's JVM flags: this JVM's, without those that write a class archive or cache at exit
   * (the first run of a build writes them; the daemon would write a wrong one) or open a debugger port.
   */
  static List<String> jvmFlags(List<String> thisJvm) {
    return thisJvm.stream().filter(a -> !a.startsWith("-XX:ArchiveClassesAtExit") && !a.startsWith("-XX:AOTMode")
        && !a.startsWith("-XX:AOTConfiguration") && !a.startsWith("-XX:AOTCacheOutput")
        && !a.startsWith("-agentlib:jdwp")).toList();
  }

  /** {@code 90s}, {@code 30m}, {@code 3h} or an ISO-8601 duration such as {@code PT1H30M}. */
  static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase();
    try {
      if (t.matches("\\d+[smh]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      return Duration.parse(s.trim().toUpperCase());
    } catch (RuntimeException e) {
      throw new NostosCli.UsageException("--idle-timeout: '" + s + "' is not a duration; write e.g. 90s, 30m or 3h");
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }
}
