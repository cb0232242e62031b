package io.nostos.sstable;

import org.apache.cassandra.config.DatabaseDescriptor;
import org.apache.cassandra.streaming.StreamManager;

/**
 * The outbound streaming limit of this process. cassandra-all keeps one rate limiter per process
 * for all streams, created with the configured rate when the first stream starts; changing the
 * configured rate afterwards changes nothing until the limiter is told. So a JVM that runs several
 * loads (the daemon, {@code nostos run a.yaml b.yaml}, a test run) must set both before each load,
 * or every load streams at the first one's limit. All streams of the process share the limit,
 * which is what {@link LoadTarget#throttleMibPerSec} promises. Thread-safe.
 */
final class StreamThrottle {
  private static int applied = -1;

  private StreamThrottle() {}

  /** Limits this process's outbound streams to {@code mibPerSec} MiB/s (0: no limit) from now on. */
  static synchronized void apply(int mibPerSec) {
    if (mibPerSec < 0) {
      throw new IllegalArgumentException("throttle must be >= 0 MiB/s (0 = unthrottled), got " + mibPerSec);
    }
    if (mibPerSec == applied) {
      return;
    }
    CassandraClientMode.ensure();
    DatabaseDescriptor.setStreamThroughputOutboundBytesPerSec(mibPerSec * 1024L * 1024L);
    DatabaseDescriptor.setEntireSSTableStreamThroughputOutboundMebibytesPerSec(mibPerSec);
    StreamManager.StreamRateLimiter.updateThroughput();
    StreamManager.StreamRateLimiter.updateEntireSSTableThroughput();
    applied = mibPerSec;
  }
}
