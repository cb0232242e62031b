package io.nostos.sstable;

import org.apache.cassandra.io.sstable.CQLSSTableWriter;

/**
 * Puts cassandra-all into client mode once per JVM (no node, no yaml), the way
 * {@link CQLSSTableWriter} does in its static initialiser.
 */
final class CassandraClientMode {
  /**
   * How often cassandra-all's approximate clock is sampled. Its default, 2 ms, is a node's: on a
   * thread of its own, 500 times a second, for as long as the JVM lives, which cost a loader 3% of
   * a core, idle or not (measured on an idle daemon). A loader's timeouts are seconds long.
   */
  static final String CLOCK_PRECISION_PROPERTY = "cassandra.approximate_time_precision_ms";
  static final String CLOCK_PRECISION_MS = "20";

  private CassandraClientMode() {}

  static void ensure() {
    if (System.getProperty(CLOCK_PRECISION_PROPERTY) == null) {
      System.setProperty(CLOCK_PRECISION_PROPERTY, CLOCK_PRECISION_MS);  // read once, when the clock starts
    }
    try {
      Class.forName(CQLSSTableWriter.class.getName(), true, CassandraClientMode.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cassandra-all is not on the classpath", e);
    }
  }
}
