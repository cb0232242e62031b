package io.nostos.bench;

import io.nostos.sstable.ClientJvmFlags;
import io.nostos.transforms.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Runs one measured variant in its own JVM, so each has its own heap and its peak resident memory
 * and CPU time can be read: {@code VmHWM} of the child from /proc and its CPU time, sampled every
 * 100 ms until it exits (the CPU of its last 100 ms is not counted).
 */
final class ChildJvm {
  /** What a child did: its last JSON line (or empty), wall time, peak RSS, CPU time and its output. */
  record Result(Map<String, Object> json, double seconds, long peakRssBytes, double cpuSeconds, int exitCode,
      String output) {}

  /** The collector {@code ./nostos} gives the CLI's JVM by default, for the Nostos variants. */
  static final String NOSTOS_GC = "-XX:+UseParallelGC";

  private static final int MAX_OUTPUT_CHARS = 1 << 20;

  private ChildJvm() {}

  static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Flags for a child on our classpath: Nostos's logging setup (quiet; Cassandra and Flink at WARN). */
  static List<String> nostosLogging() {
    return List.of("-Dlogback.configurationFile="
        + LoadBench.Repo.root().resolve("pipelines/src/main/resources/nostos-logback.xml"));
  }

  /**
   * The bench module's code as this JVM runs it (its jar under {@code ./nostos bench}, its classes
   * directory under a test runner) and everything it depends on, from the build's
   * {@code bench/target/bench.classpath} (test runners hide their classpath behind a manifest jar).
   */
  static String ownClasspath() {
    String own;
    try {
      own = Paths.get(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the bench module's code", e);
    }
    return own + ":" + LoadBench.read(LoadBench.Repo.root().resolve("bench/target/bench.classpath"));
  }

  /** The command that runs {@code mainClass args} on {@code jdk} with {@code classpath} and {@code heap} (e.g. 2g). */
  static List<String> command(Jdk jdk, String classpath, String heap, List<String> extraJvmFlags, String mainClass,
      List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(jdk.java(), "-Xmx" + heap));
    cmd.addAll(ClientJvmFlags.FLAGS);
    cmd.addAll(jdk.quietFlags());
    cmd.addAll(extraJvmFlags);
    cmd.addAll(List.of("-cp", classpath, mainClass));
    cmd.addAll(args);
    return cmd;
  }

  /**
   * Starts a server process ({@code cmd}) and returns it once it prints a line that {@code ready}
   * accepts; the rest of its output is read and dropped on a daemon thread. Fails with what it
   * printed if it exits first.
   */
  static Process startServer(List<String> cmd, Predicate<String> ready, String what) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null && !ready.test(line)) {
        seen.append(line).append('\n');
      }
      if (line == null) {
        throw new IllegalStateException(what + " exited before it was ready:\n" + seen);
      }
      Thread drain = new Thread(() -> out.lines().forEach(l -> { }), what + "-output");
      drain.setDaemon(true);
      drain.start();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + what, e);
    }
  }

  /** Runs {@code mainClass args} on {@code jdk} with {@code classpath} and {@code heap} (e.g. 2g). */
  @SuppressWarnings("unchecked")
  static Result run(Jdk jdk, String classpath, String heap, List<String> extraJvmFlags, String mainClass,
      List<String> args) {
    List<String> cmd = command(jdk, classpath, heap, extraJvmFlags, mainClass, args);
    long start = System.nanoTime();
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
    AtomicLong peak = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rss-sampler");
      t.setDaemon(true);
      return t;
    });
    AtomicLong cpuNanos = new AtomicLong();
    Path status = Paths.get("/proc", Long.toString(p.pid()), "status");
    ProcessHandle child = p.toHandle();
    sampler.scheduleAtFixedRate(() -> {
      peak.accumulateAndGet(vmHwm(status), Math::max);
      cpuNanos.accumulateAndGet(cpuNanos(child), Math::max);
    }, 0, 100, TimeUnit.MILLISECONDS);
    StringBuilder out = new StringBuilder();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
        if (out.length() > MAX_OUTPUT_CHARS) {
          out.delete(0, out.length() - MAX_OUTPUT_CHARS / 2);  // keep the tail: that is where errors are
        }
        if (line.startsWith("{") && line.endsWith("}")) {
          last = line;
        }
      }
      int code = p.waitFor();
      sampler.shutdownNow();
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> json = last == null ? Map.of() : (Map<String, Object>) Json.read(last);
      long childPeak = json.get("peak_rss_bytes") instanceof Number ? ((Number) json.get("peak_rss_bytes")).longValue() : 0;
      return new Result(json, seconds, Math.max(peak.get(), childPeak), cpuNanos.get() / 1e9, code, out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + mainClass + " ran", e);
    }
  }

  /** Peak resident set size of a process, from its /proc status file (0 once it has exited). */
  static long vmHwm(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException exited) {
      return 0;  // the process is gone: its last sample stands
    }
    return 0;
  }

  /** Total CPU time of a process so far, in nanoseconds; 0 where the system does not report it. */
  static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  /** This process's own peak RSS. */
  static long ownPeakRss() {
    return vmHwm(Paths.get("/proc/self/status"));
  }
}
