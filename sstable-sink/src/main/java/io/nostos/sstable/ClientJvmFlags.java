package io.nostos.sstable;

import java.util.List;

/**
 * The JVM flags a process running Nostos's pipeline classes needs on Java 17+: what cassandra-all's
 * writer and loader (CQLSSTableWriter, streaming) and Flink reach into. The {@code nostos} script
 * passes the same list to the CLI's JVM; this is the copy for JVMs that Nostos's own code starts
 * (the benchmark's variants, the tests' Flink cluster).
 */
public final class ClientJvmFlags {
  public static final List<String> FLAGS = List.of(
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED");

  private ClientJvmFlags() {}
}
