package io.nostos.cli;

import io.nostos.sstable.node.LocalCassandraNode;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where Nostos keeps local state: {@code .nostos/} in the project directory (the {@code nostos}
 * script passes it as {@code -Dnostos.home}); {@code node/} holds the dev Cassandra node,
 * {@code work/} the staging directories of runs.
 */
final class NostosHome {
  private NostosHome() {}

  static Path dir() {
    return DaemonInfo.home();
  }

  /** The project directory (holds specs/ and runner-configs/). */
  static Path repo() {
    String repo = System.getProperty("nostos.repo");
    return (repo != null ? Paths.get(repo) : Paths.get(".")).toAbsolutePath().normalize();
  }

  static Path nodeHome() {
    return dir().resolve("node");
  }

  static Path workDir() {
    return dir().resolve("work");
  }

  /** The dev node, on its recorded ports or Cassandra's defaults. */
  static LocalCassandraNode devNode() {
    return new LocalCassandraNode(nodeHome(),
        LocalCassandraNode.recordedPorts(nodeHome()).orElse(LocalCassandraNode.Ports.defaults()),
        System.getProperty("nostos.node.heap", "1g"));
  }
}
