package io.nostos.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nostos bench}: benchmarks against a fresh local Cassandra node started for the run.
 * Each prints a table and writes a JSON result under {@code <dir>/results/}. See
 * docs/benchmarks.md for the commands and results.
 */
@Command(name = "nostos bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: load (vs the driver, dsbulk and the writer/stream ceilings), memory, serve, swap.",
    subcommands = {BenchMain.Load.class, BenchMain.Memory.class, BenchMain.Serve.class, BenchMain.Swap.class})
public final class BenchMain implements Runnable {
  static final PrintStream OUT = System.out;

  @Override
  public void run() {
    new CommandLine(this).usage(OUT);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  /** Options every benchmark has. */
  static final class Common {
    @Option(names = "--rows", description = "Rows to generate (default depends on the benchmark).")
    Long rows;

    @Option(names = "--value-bytes", defaultValue = "200", description = "Size of each row's JSON value (default ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated rows (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dir", defaultValue = ".nostos/bench", description = "Data, node and results directory (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--node-heap", defaultValue = "1g", description = "Heap of the Cassandra node (default ${DEFAULT-VALUE}).")
    String nodeHeap;

    DataSet data(long defaultRows) {
      return new DataSet(rows != null ? rows : defaultRows, valueBytes, seed);
    }

    Path dir() {
      return dir.toAbsolutePath();
    }

    int finish(String name, Map<String, Object> result) {
      OUT.println("results: " + Results.write(dir().resolve("results"), name, result));
      return 0;
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Loads the same rows with each variant into a fresh table of one node and compares them.")
  static final class Load implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--variants", split = ",", description = "Variants to run (default: all): nostos-flink, "
        + "nostos-direct, nostos-daemon (each load a `nostos run` handed to a daemon that stays up; the measured "
        + "loads are its second and later), driver, dsbulk, writer (the writer ceiling, then streaming its files).")
    List<String> variants = LoadBench.ALL_VARIANTS;

    @Option(names = "--heap", defaultValue = "2g", description = "Heap of each variant's JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Spec CommandSpec spec;

    @Option(names = "--warmup-rows", defaultValue = "100000", description = "Rows each variant loads once, "
        + "unmeasured, before the measured runs, so no variant meets a cold node and each JVM starts from a "
        + "class-data archive as `nostos run` does after its first run; 0: none (default ${DEFAULT-VALUE}).")
    long warmupRows;

    @Option(names = "--verify", defaultValue = "count", description = "How the Nostos variants verify before "
        + "promotion, as load.verify in a spec: count or sample (default ${DEFAULT-VALUE}).")
    String verify;

    @Option(names = "--runs-per-jvm", defaultValue = "1", description = "Loads each Nostos variant runs in its "
        + "measured JVM, one after another; the last is reported (the others in the JSON), so more than 1 "
        + "measures a JVM whose code is already compiled; for nostos-daemon, loads handed to its daemon after the "
        + "warm-up (default ${DEFAULT-VALUE}).")
    int runsPerJvm;

    @Option(names = "--client-jdk", paramLabel = "JAVA_HOME", description = "JDK that every variant's JVM runs "
        + "on (default: this one); the node keeps this one. From JDK 25 on, each variant's class archive is an AOT "
        + "cache, as with `nostos run` on such a JDK.")
    Path clientJdk;

    @Override
    public Integer call() {
      List<String> unknown = variants.stream().filter(v -> !LoadBench.ALL_VARIANTS.contains(v)).toList();
      if (!unknown.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--variants: unknown " + String.join(", ", unknown)
            + "; choose from " + String.join(", ", LoadBench.ALL_VARIANTS) + " (writer also streams its files)");
      }
      if (warmupRows < 0) {
        throw new ParameterException(spec.commandLine(), "--warmup-rows must be 0 or more, not " + warmupRows);
      }
      if (!verify.equals("count") && !verify.equals("sample")) {
        throw new ParameterException(spec.commandLine(), "--verify must be count or sample, not " + verify);
      }
      if (runsPerJvm < 1) {
        throw new ParameterException(spec.commandLine(), "--runs-per-jvm must be 1 or more, not " + runsPerJvm);
      }
      Jdk clients;
      try {
        clients = clientJdk == null ? Jdk.current() : Jdk.at(clientJdk.toAbsolutePath());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--client-jdk: " + e.getMessage());
      }
      try (BenchNode node = BenchNode.start(common.dir(), common.nodeHeap)) {
        DataSet warmUp = warmupRows == 0 ? null : new DataSet(warmupRows, common.valueBytes, common.seed);
        return common.finish("load", new LoadBench(node, common.dir(), heap, OUT, verify, runsPerJvm, clients)
            .run(common.data(1_000_000), variants, warmUp));
      }
    }
  }

  @Command(name = "memory", mixinStandardHelpOptions = true,
      description = "Nostos (Flink local runner) end to end with a small heap: does a large load complete?")
  static final class Memory implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--heap", defaultValue = "1g", description = "Heap of the Nostos JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() {
      try (BenchNode node = BenchNode.start(common.dir(), common.nodeHeap)) {
        return common.finish("memory", new LoadBench(node, common.dir(), heap, OUT)
            .run(common.data(10_000_000), List.of("nostos-flink")));
      }
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Closed-loop reads with fields=: REST (nostos serve + Java client) vs the driver directly.")
  static final class Serve implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--clients", split = ",", description = "Concurrent clients (default: 1,8,32,64).")
    List<Integer> clients = List.of(1, 8, 32, 64);

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per point (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "60", description = "Unmeasured reads through each path "
        + "(8 clients) before the first point, so the JIT of the server, the client and the node has settled; "
        + "each point then also runs 2 s unmeasured (default ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() {
      try (BenchNode node = BenchNode.start(common.dir(), common.nodeHeap)) {
        return common.finish("serve", new ServeBench(node, OUT).run(common.data(100_000), common.dir(), "bench_serve",
            clients, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup)));
      }
    }
  }

  @Command(name = "swap", mixinStandardHelpOptions = true,
      description = "Promote and rollback latency at two data sizes (should not grow with data).")
  static final class Swap implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--sizes", split = ",", description = "Row counts (default: 10000,1000000).")
    List<Long> sizes = List.of(10_000L, 1_000_000L);

    @Option(names = "--repetitions", defaultValue = "50", description = "Promote/rollback pairs per size (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Override
    public Integer call() {
      try (BenchNode node = BenchNode.start(common.dir(), common.nodeHeap)) {
        return common.finish("swap", new SwapBench(node, OUT).run(sizes, common.valueBytes, common.seed, common.dir(),
            repetitions));
      }
    }
  }
}
