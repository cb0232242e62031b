package io.nostos.serving;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nostos serve}: runs the REST layer in its own JVM with only the serving classpath (no
 * Beam, no cassandra-all). Connects to {@code --cassandra}, else {@code $NOSTOS_CASSANDRA}, else
 * the local dev node.
 */
@Command(name = "nostos serve", mixinStandardHelpOptions = true,
    description = {"Serves the current version of every dataset over HTTP (README: 'Reading data over HTTP').",
        "Admin routes (rollback, promote) need $NOSTOS_ADMIN_TOKEN; reads need $NOSTOS_READ_TOKEN if it is set."})
public final class ServingMain implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--pointer-ttl-ms", paramLabel = "MS", defaultValue = "2000",
      description = "How long the current-version pointer is cached (default: ${DEFAULT-VALUE} ms): a promotion or "
          + "rollback done elsewhere is visible within this bound.")
  long pointerTtlMs;

  @Option(names = "--cassandra", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "CQL contact points. Default: $NOSTOS_CASSANDRA, else the local dev node.")
  String contactPoints;

  @Option(names = "--datacenter", paramLabel = "DC", defaultValue = "${env:NOSTOS_DATACENTER:-datacenter1}",
      description = "Local datacenter of the driver (default: ${DEFAULT-VALUE}).")
  String datacenter;

  @Option(names = "--catalog-keyspace", paramLabel = "KEYSPACE", defaultValue = "nostos",
      description = "Keyspace of the version catalog (default: ${DEFAULT-VALUE}).")
  String catalogKeyspace;

  @Option(names = "--io-threads", paramLabel = "N", defaultValue = "1",
      description = "Event-loop threads shared by HTTP connections and Cassandra connections (default: ${DEFAULT-VALUE}). "
          + "With one thread a read is answered without changing threads, which keeps the p99 of cached reads lowest; "
          + "on 2 cores, two threads served 23-29%% more reads that miss the cache at 32 clients (docs/benchmarks.md, "
          + "serve). Raise it for reads that mostly miss the cache, or when one core is not enough for the request "
          + "rate. 0: the driver's default, twice the processors.")
  int ioThreads;

  @Option(names = "--cache-mib", paramLabel = "MIB", defaultValue = "64",
      description = "Memory for answers to document reads (default: ${DEFAULT-VALUE} MiB; 0 turns the cache off). "
          + "Versions never change once readable, so a kept answer is never stale.")
  long cacheMib;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServingMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    if (ioThreads < 0) {
      throw new ParameterException(spec.commandLine(), "--io-threads must be 1 or more (0: the driver's default), not " + ioThreads);
    }
    if (cacheMib < 0) {
      throw new ParameterException(spec.commandLine(), "--cache-mib must be 0 (off) or more, not " + cacheMib);
    }
    String cps = contactPoints != null ? contactPoints : System.getenv("NOSTOS_CASSANDRA");
    List<String> points = cps != null ? Arrays.stream(cps.split(",")).map(String::trim).toList()
        : List.of("127.0.0.1:" + devNodeNativePort());
    CassandraTarget target = new CassandraTarget(points, datacenter, 7000, 7199, catalogKeyspace,
        CassandraTarget.DEFAULT_REPLICATION, System.getenv("NOSTOS_CASSANDRA_USER"),
        System.getenv("NOSTOS_CASSANDRA_PASSWORD"), List.of());
    try (CqlSession session = Sessions.open(target, ioThreads)) {
      String admin = System.getenv("NOSTOS_ADMIN_TOKEN");
      ServingApp app = new ServingApp(session, target,
          new ServingApp.Config(port, admin, System.getenv("NOSTOS_READ_TOKEN"), Duration.ofMillis(pointerTtlMs),
              cacheMib << 20));
      int bound = app.start();
      System.out.printf("serving on http://127.0.0.1:%d (Cassandra %s; admin routes %s)%n", bound, points,
          admin == null ? "disabled: set NOSTOS_ADMIN_TOKEN" : "enabled");
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        app.stop();
        stopped.countDown();
      }));
      stopped.await();
      return 0;
    }
  }

  /** The dev node's CQL port from {@code .nostos/node/ports}, else 9042. */
  private static int devNodeNativePort() {
    Path ports = Paths.get(System.getProperty("nostos.home", ".nostos"), "node", "ports");
    try {
      return Files.exists(ports) ? Integer.parseInt(Files.readString(ports).trim().split("\\s+")[0]) : 9042;
    } catch (IOException | RuntimeException e) {
      return 9042;
    }
  }
}
