package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.Sessions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load benchmark: the same rows, loaded into a fresh table of the same node by each variant,
 * each in its own JVM: Nostos end to end (DirectRunner and Flink local, and through a daemon that
 * stays up between loads: {@link DaemonVariant}), the driver's async
 * INSERT path, dsbulk 1.10.0, and the ceilings (raw sorted CQLSSTableWriter on one thread, then
 * streaming its files alone with Cassandra's BulkLoader).
 */
final class LoadBench {
  static final List<String> ALL_VARIANTS = List.of("nostos-flink", "nostos-direct", DaemonVariant.NAME, "driver",
      "dsbulk", "writer");

  private final BenchNode node;
  private final Path dir;
  private final String heap;
  private final PrintStream log;
  private final String verify;
  private final int runsPerJvm;
  private final Jdk clients;
  private DaemonVariant daemon;  // started by the first load of the daemon variant

  LoadBench(BenchNode node, Path dir, String heap, PrintStream log) {
    this(node, dir, heap, log, "count", 1, Jdk.current());
  }

  /**
   * With the Nostos variants verifying with {@code verify} (count or sample, as {@code load.verify})
   * and loading {@code runsPerJvm} times in their measured JVM, the last run counting: more than
   * one shows a load on a JVM whose code is already compiled. Every variant's JVM runs on
   * {@code clients}; the node keeps the JDK it was started with.
   */
  LoadBench(BenchNode node, Path dir, String heap, PrintStream log, String verify, int runsPerJvm, Jdk clients) {
    this.node = node;
    this.dir = dir;
    this.heap = heap;
    this.log = log;
    this.verify = verify;
    this.runsPerJvm = runsPerJvm;
    this.clients = clients;
  }

  /** Runs the variants over {@code data} on the node as it is; returns the result document (also printed). */
  Map<String, Object> run(DataSet data, List<String> variants) {
    return run(data, variants, null);
  }

  /**
   * Runs the variants over {@code data}. With {@code warmUp}, each variant first loads those rows
   * once, unmeasured, into a keyspace of its own, so that every measured variant meets a node whose
   * read, write and streaming paths are compiled (the first variant on a fresh node otherwise pays
   * the node's JIT: 1M rows verified in 20 s instead of 6 s), and so that each variant's JVM then
   * starts from a class-data archive of what it loaded, as {@code ./nostos run} does after its
   * first run.
   */
  Map<String, Object> run(DataSet data, List<String> variants, DataSet warmUp) {
    try {
      return measure(data, variants, warmUp);
    } finally {
      if (daemon != null) {
        daemon.close();
        daemon = null;
      }
    }
  }

  private Map<String, Object> measure(DataSet data, List<String> variants, DataSet warmUp) {
    Path csv = data.csv(dir.resolve("data"));
    long csvBytes = size(csv);
    if (warmUp != null) {
      warmUp(warmUp, variants);
    }
    Map<String, Map<String, Object>> byVariant = new LinkedHashMap<>();
    for (String v : variants) {
      log.printf("load: %s (%,d rows)...%n", v, data.rows());
      String ks = "bench_" + v.replace('-', '_');
      node.dropKeyspace(ks);
      double nodeCpuBefore = node.cpuSeconds();
      ChildJvm.Result r = variant(v, csv, data.rows(), ks, archived(v, warmUp != null), runsPerJvm);
      NodeCost cost = settle(ks, nodeCpuBefore);
      if (r.exitCode() != 0) {
        // A variant that cannot finish (e.g. DirectRunner out of heap) is a result too; the others still run.
        String why = r.output().contains("OutOfMemoryError") ? "out of memory (heap " + heap + ")" : "exit " + r.exitCode();
        log.printf("load: %s failed: %s%n%s%n", v, why, tail(r.output()));
        Map<String, Object> failed = Results.map("variant", v, "failed", why, "wall_seconds", r.seconds(),
            "peak_rss_bytes", r.peakRssBytes(), "client_cpu_seconds", r.cpuSeconds());
        cost.into(failed, data.rows());
        byVariant.put(v, failed);
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>(r.json());
      m.put("variant", v);
      m.putIfAbsent("seconds", r.seconds());
      m.putIfAbsent("rows", data.rows());
      m.put("wall_seconds", r.seconds());
      m.put("peak_rss_bytes", r.peakRssBytes());
      m.put("client_cpu_seconds", r.cpuSeconds());
      cost.into(m, data.rows() * (v.startsWith("nostos") ? runsPerJvm : 1));  // CPU is of all the JVM's runs
      double s = ((Number) m.get("seconds")).doubleValue();
      m.put("rows_per_second", data.rows() / s);
      m.put("input_mb_per_second", csvBytes / 1e6 / s);
      byVariant.put(v, m);
      if (v.equals("writer")) {
        Map<String, Object> st = stream((String) m.get("directory"), ks, data.rows(), archived("stream", warmUp != null));
        double seconds = ((Number) st.get("seconds")).doubleValue();
        st.put("rows_per_second", data.rows() / seconds);
        st.put("input_mb_per_second", ((Number) m.get("sstable_bytes")).longValue() / 1e6 / seconds);
        byVariant.put("stream", st);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "load");
    result.put("rows", data.rows());
    result.put("value_bytes", data.valueBytes());
    result.put("seed", data.seed());
    result.put("warmup_rows", warmUp == null ? 0 : warmUp.rows());
    result.put("nostos_verify", verify);
    result.put("nostos_runs_per_jvm", runsPerJvm);
    result.put("client_jdk", clients.feature());
    result.put("csv_bytes", csvBytes);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("variants", byVariant);
    result.put("ratios", ratios(byVariant));
    print(byVariant, (Map<String, Object>) result.get("ratios"));
    return result;
  }

  /**
   * Loads {@code rows} once with each variant (and streams the writer's files), unmeasured, each
   * JVM writing its class-data archive as it exits; then drops what they loaded.
   */
  private void warmUp(DataSet rows, List<String> variants) {
    Path csv = rows.csv(dir.resolve("data"));
    log.printf("load: warm-up, unmeasured: each variant loads %,d rows once (the node's JIT; each JVM's class "
        + "archive)...%n", rows.rows());
    for (String v : variants) {
      String ks = "warmup_" + v.replace('-', '_');
      node.dropKeyspace(ks);
      String classpath = v.equals("dsbulk") ? dsbulkClasspath() : ChildJvm.ownClasspath();
      ChildJvm.Result r = variant(v, csv, rows.rows(), ks, ClassArchive.dump(archive(v), classpath, clients), 1);
      node.settle(ks);  // its flushes and compactions must not run during the next variant
      if (r.exitCode() != 0) {
        throw new IllegalStateException("the warm-up of " + v + " failed (exit " + r.exitCode() + "):\n"
            + tail(r.output()));
      }
      if (v.equals("writer")) {
        stream((String) r.json().get("directory"), ks, rows.rows(),
            ClassArchive.dump(archive("stream"), ChildJvm.ownClasspath(), clients));
      }
      node.dropKeyspace(ks);
    }
  }

  /** One variant in its own JVM, loading {@code csv} into keyspace {@code ks} ({@code runs} times for Nostos). */
  private ChildJvm.Result variant(String v, Path csv, long rows, String ks, List<String> archiveFlags, int runs) {
    if (v.equals(DaemonVariant.NAME)) {  // one JVM for all its loads: no archive (its first load is the warm-up)
      if (daemon == null) {
        daemon = DaemonVariant.start(clients, heap, dir, node);
      }
      return daemon.load(csv, ks, dir.resolve("work"), verify, runs);
    }
    if (v.equals("dsbulk")) {
      return dsbulk(csv, ks, archiveFlags);
    }
    List<String> flags = new ArrayList<>(ChildJvm.nostosLogging());
    flags.addAll(archiveFlags);
    if (v.startsWith("nostos")) {
      flags.add(ChildJvm.NOSTOS_GC);  // as `nostos run` starts; the other variants keep the JDK's default
    }
    return ChildJvm.run(clients, ChildJvm.ownClasspath(), heap, flags, Variant.class.getName(),
        List.of(v, csv.toString(), Long.toString(rows), node.portsArg(), ks, dir.resolve("work").toString(), verify,
            Integer.toString(runs)));
  }

  /** Flags that map the archive this run's warm-up wrote for {@code variant}; none without a warm-up. */
  private List<String> archived(String variant, boolean warmedUp) {
    return warmedUp ? ClassArchive.use(archive(variant), clients) : List.of();
  }

  /** Where the warm-up leaves the class-data archive of a variant's JVM. */
  private Path archive(String variant) {
    return ClassArchive.file(dir.resolve("cds"), variant, clients);
  }

  /** Nostos/driver, Nostos/dsbulk and sink stage/ceiling, from the variants that ran. */
  static Map<String, Object> ratios(Map<String, Map<String, Object>> v) {
    Map<String, Object> r = new LinkedHashMap<>();
    for (String nostos : List.of("nostos-flink", "nostos-direct", DaemonVariant.NAME)) {
      if (!v.containsKey(nostos) || v.get(nostos).containsKey("failed")) {
        continue;
      }
      double n = rate(v.get(nostos));
      Object nodeCost = v.get(nostos).get("node_cpu_us_per_row");
      for (String other : List.of("driver", "dsbulk")) {
        if (v.containsKey(other) && !v.get(other).containsKey("failed")) {
          r.put(nostos + "/" + other, n / rate(v.get(other)));
          if (nodeCost instanceof Number && ((Number) nodeCost).doubleValue() > 0) {
            r.put(other + "/" + nostos + " node CPU per row",
                ((Number) v.get(other).get("node_cpu_us_per_row")).doubleValue() / ((Number) nodeCost).doubleValue());
          }
        }
      }
      Object busy = v.get(nostos).get("sink_busy_seconds");
      if (v.containsKey("writer") && !v.get("writer").containsKey("failed") && busy instanceof Number
          && ((Number) busy).doubleValue() > 0) {
        double sinkPerThread = ((Number) v.get(nostos).get("rows")).doubleValue() / ((Number) busy).doubleValue();
        r.put(nostos + " sink rows/s per thread", sinkPerThread);
        r.put(nostos + " sink/ceiling per thread", sinkPerThread / rate(v.get("writer")));
      }
    }
    return r;
  }

  private static double rate(Map<String, Object> m) {
    return ((Number) m.get("rows_per_second")).doubleValue();
  }

  private void print(Map<String, Map<String, Object>> v, Map<String, Object> ratios) {
    List<List<String>> rows = new ArrayList<>();
    v.forEach((name, m) -> {
      List<String> row = new ArrayList<>(m.containsKey("failed") ? List.of(name, "failed: " + m.get("failed"), "", "")
          : List.of(name, Results.fmt(((Number) m.get("rows_per_second")).doubleValue(), 0),
              Results.fmt(((Number) m.get("input_mb_per_second")).doubleValue(), 1),
              Results.fmt(((Number) m.get("seconds")).doubleValue(), 1)));
      row.add(Results.fmt(((Number) m.get("wall_seconds")).doubleValue(), 1));
      row.add(Results.fmt(((Number) m.get("peak_rss_bytes")).longValue() / 1048576.0, 0));
      row.add(Results.fmt(((Number) m.get("client_cpu_seconds")).doubleValue(), 1));
      row.add(Results.fmt(((Number) m.get("node_cpu_seconds_settled")).doubleValue(), 1));
      row.add(Results.fmt(((Number) m.get("node_cpu_us_per_row")).doubleValue(), 1));
      rows.add(row);
    });
    Results.table(log, List.of("variant", "rows/s", "MB/s", "seconds", "wall s", "peak RSS MiB", "CPU s",
        "node CPU s", "node µs/row"), rows);
    log.println("  (MB/s: of the input CSV; for stream, of the SSTables streamed. CPU s: the variant's JVM."
        + " node CPU s: the Cassandra node's, from the variant's start until it had flushed and compacted"
        + " what the variant wrote" + (runsPerJvm > 1 ? "; for Nostos, over all " + runsPerJvm + " runs of its JVM,"
        + " and node µs/row over all their rows" : "") + ")");
    ratios.forEach((k, val) -> log.printf("  %-40s %s%n", k, Results.fmt(((Number) val).doubleValue(), 2)));
  }

  /** dsbulk in its own JVM with its own classpath, loading the same CSV into a table like the others. */
  private ChildJvm.Result dsbulk(Path csv, String ks, List<String> archiveFlags) {
    try (CqlSession s = Sessions.open(node.target(ks))) {
      DataSet.createTable(s, node.target(ks).replication(), ks, "dsbulk_t");
    }
    ChildJvm.Result r = ChildJvm.run(clients, dsbulkClasspath(), heap, archiveFlags,
        "com.datastax.oss.dsbulk.runner.DataStaxBulkLoader",
        List.of("load", "-url", csv.toString(), "-k", ks, "-t", "dsbulk_t", "-h", "127.0.0.1",
            "-port", Integer.toString(node.ports().nativePort()), "-header", "true", "-escape", "\"\\\"\"",  // HOCON for the character "
            "-logDir", dir.resolve("dsbulk-logs").toString()));
    Matcher m = Pattern.compile("(?m)^\\s*([0-9,]+)\\s*\\|\\s*([0-9,]+)\\s*\\|").matcher(r.output());
    Map<String, Object> json = new LinkedHashMap<>();
    boolean found = false;
    long total = 0;
    long failed = 0;
    while (m.find()) {  // progress lines have the same shape; the summary is the last one
      found = true;
      total = Long.parseLong(m.group(1).replace(",", ""));
      failed = Long.parseLong(m.group(2).replace(",", ""));
    }
    if (found) {
      if (failed > 0) {
        throw new IllegalStateException("dsbulk failed to load " + failed + " rows:\n" + tail(r.output()));
      }
      json.put("rows", total);
    }
    return new ChildJvm.Result(json, r.seconds(), r.peakRssBytes(), r.cpuSeconds(), r.exitCode(), r.output());
  }

  private static String dsbulkClasspath() {
    return read(Repo.root().resolve("bench/dsbulk/target/dsbulk.classpath"));
  }

  /** Streams the writer's files alone with Cassandra's BulkLoader (in its own JVM). */
  private Map<String, Object> stream(String directory, String ks, long rows, List<String> archiveFlags) {
    try (CqlSession s = Sessions.open(node.target(ks))) {
      DataSet.createTable(s, node.target(ks).replication(), ks, "writer_t");
    }
    log.println("load: stream (BulkLoader of the writer's files)...");
    List<String> flags = new ArrayList<>(ChildJvm.nostosLogging());
    flags.addAll(archiveFlags);
    double nodeCpuBefore = node.cpuSeconds();
    ChildJvm.Result r = ChildJvm.run(clients, ChildJvm.ownClasspath(), heap, flags, "org.apache.cassandra.tools.BulkLoader",
        List.of("-d", "127.0.0.1", "-p", Integer.toString(node.ports().nativePort()),
            "-sp", Integer.toString(node.ports().storagePort()), directory));
    NodeCost cost = settle(ks, nodeCpuBefore);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("BulkLoader failed:\n" + tail(r.output()));
    }
    Matcher m = Pattern.compile("Total duration:\\s*([0-9]+)\\s*ms").matcher(r.output());
    double seconds = m.find() ? Long.parseLong(m.group(1)) / 1000.0 : r.seconds();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("variant", "stream");
    out.put("rows", rows);
    out.put("seconds", seconds);
    out.put("wall_seconds", r.seconds());
    out.put("peak_rss_bytes", r.peakRssBytes());
    out.put("client_cpu_seconds", r.cpuSeconds());
    cost.into(out, rows);
    return out;
  }

  /**
   * What a variant cost the node: its CPU while the variant ran, and until the node had flushed
   * and compacted what the variant wrote ({@link BenchNode#settle}), and how long that took.
   */
  record NodeCost(double cpuSecondsDuring, double cpuSecondsSettled, double settleSeconds) {
    void into(Map<String, Object> m, long rows) {
      m.put("node_cpu_seconds", cpuSecondsDuring);
      m.put("node_cpu_seconds_settled", cpuSecondsSettled);
      m.put("settle_seconds", settleSeconds);
      m.put("node_cpu_us_per_row", cpuSecondsSettled * 1e6 / rows);
    }
  }

  /** Settles the node after a variant that wrote into {@code ks}; CPU counted from {@code nodeCpuBefore}. */
  private NodeCost settle(String ks, double nodeCpuBefore) {
    double during = node.cpuSeconds() - nodeCpuBefore;
    long start = System.nanoTime();
    node.settle(ks);
    return new NodeCost(during, node.cpuSeconds() - nodeCpuBefore, (System.nanoTime() - start) / 1e9);
  }

  static String read(Path f) {
    try {
      return Files.readString(f).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + " (build the project with ./mvnw package first)", e);
    }
  }

  static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String tail(String output) {
    String[] lines = output.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
  }

  /** Finds the repository (for the dsbulk classpath file). */
  static final class Repo {
    private Repo() {}

    static Path root() {
      String p = System.getProperty("nostos.repo");
      if (p != null) {
        return Paths.get(p);
      }
      for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
        if (Files.isDirectory(d.resolve("bench/dsbulk"))) {
          return d;
        }
      }
      throw new IllegalStateException("cannot find the Nostos repository from " + Paths.get("").toAbsolutePath()
          + "; run from inside it or set -Dnostos.repo");
    }
  }
}
