package io.nostos.cli;

import io.nostos.sstable.node.LocalCassandraNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dev", mixinStandardHelpOptions = true,
    description = {"Runs a local single-node Cassandra 5.0 for development and the demo.",
        "It runs from the Maven classpath: no install, no Docker. Data and logs live under",
        ".nostos/node/. CQL on 127.0.0.1:9042, streaming on 7000, JMX on 7199."})
final class DevCommand implements Callable<Integer> {
  @Parameters(paramLabel = "up|down|status", description = "up: start and wait for CQL; down: stop it; status: show it.")
  String action;

  @Override
  public Integer call() {
    LocalCassandraNode node = NostosHome.devNode();
    switch (action) {
      case "up":
        return up(node, true);
      case "down":
        if (node.stop(Duration.ofSeconds(60))) {
          Output.out.println("stopped the Cassandra node of " + node.home());
        } else {
          Output.out.println("no Cassandra node is running from " + node.home());
        }
        return NostosCli.OK;
      case "status":
        Optional<ProcessHandle> p = node.process();
        if (p.isPresent()) {
          Output.out.printf("running: pid %d, CQL %s (%s), data %s%n", p.get().pid(), node.contactPoint(),
              node.isServing() ? "answering" : "not answering yet", node.dataDirectory());
          return NostosCli.OK;
        }
        Output.out.println("not running (start it with: nostos dev up)");
        return NostosCli.FAILED;
      default:
        throw new NostosCli.UsageException("unknown action '" + action + "'; use up, down or status");
    }
  }

  /** Starts the dev node unless it runs; returns the exit code. */
  static int up(LocalCassandraNode node, boolean verbose) {
    Optional<ProcessHandle> p = node.process();
    if (p.isPresent()) {
      if (verbose) {
        Output.out.printf("already running: pid %d, CQL %s%n", p.get().pid(), node.contactPoint());
      }
      return NostosCli.OK;
    }
    System.err.println("starting Cassandra 5.0 from " + node.home() + " (about 15 s)...");
    long t0 = System.nanoTime();
    ProcessHandle h = node.start(Duration.ofSeconds(180));
    Output.out.printf("Cassandra is up: pid %d, CQL %s, took %.1f s%n", h.pid(), node.contactPoint(),
        (System.nanoTime() - t0) / 1e9);
    return NostosCli.OK;
  }
}
