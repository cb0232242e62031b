package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code nostos-daemon} variant: Nostos end to end as a user gets it with a daemon up
 * ({@code nostos daemon start}). One daemon JVM (Flink local runner, as {@code nostos run}) serves
 * every load of the benchmark; each load is a {@code nostos run} handed to it by a small client
 * JVM, as the {@code nostos} script does. With the warm-up, the measured loads are the daemon's
 * second and later ones. The last of them is reported: its wall time is the client's; the CPU
 * time is the clients' plus the daemon's during all of them; the peak RSS is the daemon's.
 */
final class DaemonVariant implements AutoCloseable {
  static final String NAME = "nostos-daemon";
  private static final String DATASET = "nostos_daemon";

  private final Jdk jdk;
  private final Path home;
  private final BenchNode node;
  private final Process daemon;

  private DaemonVariant(Jdk jdk, Path home, BenchNode node, Process daemon) {
    this.jdk = jdk;
    this.home = home;
    this.node = node;
    this.daemon = daemon;
  }

  /** Starts the daemon on {@code jdk} with {@code heap}, its Nostos home under {@code dir}; returns once it answers. */
  static DaemonVariant start(Jdk jdk, String heap, Path dir, BenchNode node) {
    Path home = dir.resolve("daemon-home");
    List<String> flags = new ArrayList<>(ChildJvm.nostosLogging());
    flags.addAll(List.of(ChildJvm.NOSTOS_GC, "-Dnostos.home=" + home));
    Process p = ChildJvm.startServer(ChildJvm.command(jdk, ChildJvm.ownClasspath(), heap, flags,
        "io.nostos.cli.NostosCli", List.of("daemon", "serve", "--idle-timeout=1h")),
        line -> line.contains("nostos daemon ready"), "nostos daemon");
    return new DaemonVariant(jdk, home, node, p);
  }

  /**
   * Loads {@code csv} into keyspace {@code ks} (its catalog there too) through the daemon,
   * {@code runs} times (each a new version), reporting the last run and the time of each.
   */
  ChildJvm.Result load(Path csv, String ks, Path work, String verify, int runs) {
    Path spec;
    try {
      spec = Variant.spec(work, DATASET, csv, ks, verify);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessHandle d = daemon.toHandle();
    long cpuBefore = ChildJvm.cpuNanos(d);
    List<Double> each = new ArrayList<>();
    double clientCpu = 0;
    ChildJvm.Result client = null;
    for (int i = 0; i < runs && (client == null || client.exitCode() == 0); i++) {
      client = ChildJvm.run(jdk, ChildJvm.ownClasspath(), "64m",
          List.of("-Dnostos.home=" + home, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
          "io.nostos.cli.DaemonClient", List.of("run", spec.toString(), "--cassandra",
              "127.0.0.1:" + node.ports().nativePort(), "--storage-port", Integer.toString(node.ports().storagePort()),
              "--jmx-port", Integer.toString(node.ports().jmxPort()), "--catalog-keyspace", ks, "--work-dir",
              work.toString()));
      if (!client.output().contains("running in the daemon")) {
        throw new IllegalStateException("the load did not run in the daemon:\n" + LoadBench.tail(client.output()));
      }
      each.add(client.seconds());
      clientCpu += client.cpuSeconds();
    }
    double daemonCpu = (ChildJvm.cpuNanos(d) - cpuBefore) / 1e9;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("seconds_each_run", each);
    if (client.exitCode() == 0) {
      try (CqlSession s = Sessions.open(node.target(ks))) {
        CatalogStore c = new CatalogStore(s, ks);
        DatasetVersion v = c.version(DATASET, c.current(DATASET).orElseThrow());
        json.put("rows", v.rows());
        json.put("sstable_bytes", v.bytes());
        json.put("state", v.state().label());
      }
    }
    json.put("client_jvm_cpu_seconds", clientCpu);
    json.put("daemon_cpu_seconds", daemonCpu);
    long daemonPeak = ChildJvm.vmHwm(Paths.get("/proc", Long.toString(d.pid()), "status"));
    return new ChildJvm.Result(json, client.seconds(), daemonPeak, clientCpu + daemonCpu, client.exitCode(),
        client.output());
  }

  @Override
  public void close() {
    daemon.destroy();
    try {
      if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    } catch (InterruptedException e) {
      daemon.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
