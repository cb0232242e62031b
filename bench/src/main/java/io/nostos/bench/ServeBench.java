package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.Sessions;
import io.nostos.client.NostosClient;
import io.nostos.serving.ServingApp;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The serve benchmark: closed-loop clients (each sends its next request when the previous one
 * answered) for a fixed time, reading random keys of a loaded dataset with a field projection:
 * through the REST layer (a separate {@code nostos serve} JVM, with the Java client), once with its
 * document cache and once without, and directly with the driver (the same query the REST layer
 * runs). Reports req/s, latency percentiles, the CPU each process spent per request and the cache
 * hit ratio.
 */
final class ServeBench {
  static final String[] FIELDS = {"a", "name"};
  private static final Duration POINT_WARMUP = Duration.ofSeconds(2);

  private final BenchNode node;
  private final PrintStream log;

  ServeBench(BenchNode node, PrintStream log) {
    this.node = node;
    this.log = log;
  }

  Map<String, Object> run(DataSet data, Path dir, String ks, List<Integer> clients, Duration duration, Duration warmup) {
    String dataset = "serve_docs";
    Loads.document(node, data, dir, ks, dataset, log);
    List<String> keys = new ArrayList<>();
    for (long i = 0; i < Math.min(data.rows(), 100_000); i++) {
      keys.add(data.row(i).id());
    }
    Server cached = startServer(freePort(), ks, ServingApp.DEFAULT_CACHE_BYTES >> 20);
    Server uncached = null;
    List<Map<String, Object>> results = new ArrayList<>();
    try (CqlSession session = Sessions.open(node.target(ks))) {
      uncached = startServer(freePort(), ks, 0);
      CatalogStore catalog = new CatalogStore(session, ks);
      DatasetVersion v = catalog.version(dataset, catalog.current(dataset).orElseThrow());
      PreparedStatement select = session.prepare("SELECT field, value FROM " + v.keyspace() + "." + v.table()
          + " WHERE id = ? AND field IN (?, ?)");
      List<ReadPath> paths = List.of(
          rest("rest+cache", dataset, cached),
          rest("rest", dataset, uncached),
          new ReadPath("driver", key -> {
            if (session.execute(select.bind(key, FIELDS[0], FIELDS[1])).all().size() != 2) {
              throw new IllegalStateException("driver: not 2 fields for " + key);
            }
          }, processes(null)));
      // A cold JVM on 2 cores compiles for tens of seconds; a serving process runs for days.
      log.printf("warming up each path for %d s...%n", warmup.toSeconds());
      for (ReadPath path : paths) {
        closedLoop(path.name(), 8, warmup, Duration.ZERO, keys, path.read(), path.processes());
      }
      // A warm-up of fixed time leaves keys unread when the machine is slow (a run on 2026-11-27
      // started at 83% hits); the cached path is measured with every key in the cache.
      log.printf("filling the cache: reading each of the %,d keys once...%n", keys.size());
      keys.parallelStream().forEach(paths.get(0).read());
      Duration pointWarmup = warmup.compareTo(POINT_WARMUP) < 0 ? warmup : POINT_WARMUP;
      for (int c : clients) {
        for (ReadPath path : paths) {
          long[] before = cacheCounters(path);
          Map<String, Object> point = closedLoop(path.name(), c, duration, pointWarmup, keys, path.read(), path.processes());
          long[] after = cacheCounters(path);
          long asked = after[0] + after[1] - before[0] - before[1];
          if (asked > 0) {
            point.put("cache_hit_ratio", (double) (after[0] - before[0]) / asked);
          }
          results.add(point);
        }
      }
    } finally {
      cached.process().destroy();
      if (uncached != null) {
        uncached.process().destroy();
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<String, Object> r : results) {
      rows.add(List.of((String) r.get("mode"), r.get("clients").toString(), Results.fmt((Double) r.get("requests_per_second"), 0),
          Results.fmt((Double) r.get("p50_ms"), 2), Results.fmt((Double) r.get("p95_ms"), 2),
          Results.fmt((Double) r.get("p99_ms"), 2), Results.fmt((Double) r.get("max_ms"), 2),
          cpu(r, "client"), cpu(r, "server"), cpu(r, "cassandra"),
          r.containsKey("cache_hit_ratio") ? Results.fmt(100 * (Double) r.get("cache_hit_ratio"), 1) + "%" : "-"));
    }
    Results.table(log, List.of("mode", "clients", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms",
        "client µs/req", "server µs/req", "cassandra µs/req", "cache hits"), rows);
    List<Map<String, Object>> ratios = ServeRatios.of(results);
    List<List<String>> ratioRows = new ArrayList<>();
    for (Map<String, Object> r : ratios) {
      ratioRows.add(List.of(r.get("clients").toString(), Results.fmt((Double) r.get("http_hop_cpu_us"), 0),
          Results.fmt((Double) r.get("driver_cpu_us"), 0), Results.fmt((Double) r.get("uncached_cpu_floor"), 2) + "×",
          Results.fmt((Double) r.get("uncached_cpu_ratio"), 2) + "×", Results.fmt((Double) r.get("uncached_p99_ratio"), 2) + "×",
          Results.fmt((Double) r.get("cached_p99_ratio"), 2) + "×"));
    }
    log.println("Ratios to the driver (CPU per request of all processes; on shared cores latency follows it):");
    Results.table(log, List.of("clients", "HTTP hop µs (cached read)", "driver µs", "rest CPU floor", "rest CPU",
        "rest p99", "rest+cache p99"), ratioRows);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("benchmark", "serve");
    out.put("rows", data.rows());
    out.put("fields", List.of(FIELDS));
    out.put("seconds_per_point", duration.toMillis() / 1000.0);
    out.put("points", results);
    out.put("ratios", ratios);
    return out;
  }

  /** A way to read a document: its name in the results, the read, the processes that do the work. */
  private record ReadPath(String name, Consumer<String> read, Map<String, ProcessHandle> processes, String metricsUrl) {
    ReadPath(String name, Consumer<String> read, Map<String, ProcessHandle> processes) {
      this(name, read, processes, null);
    }
  }

  /** Reads through {@code server} with the Java client, as an application would. */
  private ReadPath rest(String name, String dataset, Server server) {
    String base = "http://127.0.0.1:" + server.port();
    NostosClient client = NostosClient.builder(base).timeout(Duration.ofSeconds(5)).build();
    return new ReadPath(name, key -> {
      if (client.get(dataset, key, FIELDS).isEmpty()) {
        throw new IllegalStateException(name + ": no document for " + key);
      }
    }, processes(server.process()), base + "/metrics");
  }

  private Map<String, ProcessHandle> processes(Process server) {
    Map<String, ProcessHandle> processes = new LinkedHashMap<>();
    processes.put("client", ProcessHandle.current());
    if (server != null) {
      processes.put("server", server.toHandle());
    }
    processes.put("cassandra", node.process());
    return processes;
  }

  /** The server's document cache hits and misses so far; zeros for a path without a server. */
  private static long[] cacheCounters(ReadPath path) {
    if (path.metricsUrl() == null) {
      return new long[2];
    }
    try (java.io.InputStream in = java.net.URI.create(path.metricsUrl()).toURL().openStream()) {
      long[] out = new long[2];
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("nostos_document_cache_requests_total{result=\"hit\"}")) {
          out[0] = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("nostos_document_cache_requests_total{result=\"miss\"}")) {
          out[1] = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path.metricsUrl(), e);
    }
  }

  /** CPU microseconds per request of one process in a point, "-" if it was not measured. */
  private static String cpu(Map<String, Object> point, String process) {
    Object us = ((Map<?, ?>) point.get("cpu_us_per_request")).get(process);
    return us == null ? "-" : Results.fmt((Double) us, 0);
  }

  /**
   * {@code clients} threads each calling {@code call} on random keys for {@code duration} after a
   * warmup; also the CPU time each of {@code processes} spent per request in the measured window.
   */
  static Map<String, Object> closedLoop(String mode, int clients, Duration duration, Duration warmup, List<String> keys,
      Consumer<String> call, Map<String, ProcessHandle> processes) {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<long[]>> parts = new ArrayList<>();
      long warmEnd = System.nanoTime() + warmup.toNanos();
      long end = warmEnd + duration.toNanos();
      for (int t = 0; t < clients; t++) {
        Random r = new Random(t);
        parts.add(pool.submit(() -> {
          long[] lat = new long[1 << 16];
          int n = 0;
          while (true) {
            long start = System.nanoTime();
            if (start >= end) {
              break;
            }
            call.accept(keys.get(r.nextInt(keys.size())));
            long took = System.nanoTime() - start;
            if (start >= warmEnd) {
              if (n == lat.length) {
                lat = java.util.Arrays.copyOf(lat, n * 2);
              }
              lat[n++] = took;
            }
          }
          return java.util.Arrays.copyOf(lat, n);
        }));
      }
      LockSupport.parkNanos(warmEnd - System.nanoTime());
      Map<String, Duration> cpuBefore = cpuTimes(processes);
      LockSupport.parkNanos(end - System.nanoTime());
      Map<String, Duration> cpuAfter = cpuTimes(processes);
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> f : parts) {
        all.add(f.get());
      }
      long[] samples = all.stream().flatMapToLong(java.util.Arrays::stream).toArray();
      long[] p = Results.percentiles(samples, 50, 95, 99, 100);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mode", mode);
      m.put("clients", clients);
      m.put("requests", (long) samples.length);
      m.put("requests_per_second", samples.length / (duration.toNanos() / 1e9));
      m.put("p50_ms", p[0] / 1e6);
      m.put("p95_ms", p[1] / 1e6);
      m.put("p99_ms", p[2] / 1e6);
      m.put("max_ms", p[3] / 1e6);
      Map<String, Double> cpu = new LinkedHashMap<>();
      cpuAfter.forEach((name, after) -> {
        Duration before = cpuBefore.get(name);
        if (before != null && samples.length > 0) {
          cpu.put(name, after.minus(before).toNanos() / 1e3 / samples.length);
        }
      });
      m.put("cpu_us_per_request", cpu);
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(mode + " requests failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Total CPU time of each process that reports it (Linux does; some systems do not). */
  private static Map<String, Duration> cpuTimes(Map<String, ProcessHandle> processes) {
    Map<String, Duration> out = new LinkedHashMap<>();
    processes.forEach((name, p) -> p.info().totalCpuDuration().ifPresent(d -> out.put(name, d)));
    return out;
  }

  /** A running {@code nostos serve} and its port. */
  private record Server(Process process, int port) {}

  /**
   * {@code nostos serve} in its own JVM (the serving module's classpath only) with a document
   * cache of {@code cacheMib} (0: off), once it listens.
   */
  private Server startServer(int port, String ks, long cacheMib) {
    Path root = LoadBench.Repo.root();
    String cp = root.resolve("serving/target/nostos-serving-0.1.0-SNAPSHOT.jar") + ":"
        + LoadBench.read(root.resolve("serving/target/serving.classpath"));
    Process p = ChildJvm.startServer(List.of(ChildJvm.java(), "-Xmx512m",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, "io.nostos.serving.ServingMain", "--port",
        Integer.toString(port), "--cassandra", "127.0.0.1:" + node.ports().nativePort(), "--catalog-keyspace", ks,
        "--cache-mib", Long.toString(cacheMib)), line -> line.startsWith("serving on"), "nostos serve");
    return new Server(p, port);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
