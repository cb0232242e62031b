package io.nostos.sstable.node;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which {@code java} runs a local Cassandra node. Cassandra 5.0 runs on Java 11 and 17 only (from
 * JDK 24 on it cannot start: it installs a security manager), while the Nostos CLI may run on a
 * newer JDK for its AOT cache. The node gets this JVM's java when that is 11 to 17, the JDK named
 * by {@code NOSTOS_NODE_JAVA_HOME} when set, and otherwise an error that says what to set.
 */
final class NodeJava {
  static final String ENV = "NOSTOS_NODE_JAVA_HOME";

  private NodeJava() {}

  /** The java command for the node of a process running {@code currentJava} of feature version {@code feature}. */
  static String command(int feature, String currentJava, Optional<String> nodeJavaHome) {
    if (nodeJavaHome.isPresent() && !nodeJavaHome.get().isBlank()) {
      return Path.of(nodeJavaHome.get(), "bin", "java").toString();
    }
    if (feature >= 11 && feature <= 17) {
      return currentJava;
    }
    throw new IllegalStateException("Cassandra 5.0 runs on Java 11 or 17, and this JVM is Java " + feature
        + ": set " + ENV + " to a JDK 17 for the node (for example /usr/lib/jvm/java-17-openjdk-amd64), "
        + "or run this command with JAVA_HOME set to one");
  }

  /** The java command for a node started from this JVM. */
  static String command() {
    return command(Runtime.version().feature(), ProcessHandle.current().info().command().orElse("java"),
        Optional.ofNullable(System.getenv(ENV)));
  }
}
