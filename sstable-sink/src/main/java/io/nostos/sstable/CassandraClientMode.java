package io.nostos.sstable;

import org.apache.cassandra.io.sstable.CQLSSTableWriter;

/**
 * Puts cassandra-all into client mode once per JVM (no node, no yaml), the way
 * {@link CQLSSTableWriter} does in its static initialiser.
 */
final class CassandraClientMode {
  private CassandraClientMode() {}

  static void ensure() {
    try {
      Class.forName(CQLSSTableWriter.class.getName(), true, CassandraClientMode.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cassandra-all is not on the classpath", e);
    }
  }
}
