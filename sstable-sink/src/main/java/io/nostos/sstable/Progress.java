package io.nostos.sstable;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Progress counters of a run. Each step both increments a Beam metric (visible on every runner,
 * at the end or in the runner's UI) and a counter in this JVM, which the CLI prints while a
 * local run (DirectRunner, Flink mini-cluster) is in flight.
 */
public final class Progress {
  public static final String NAMESPACE = "nostos";
  public static final String ROWS_READ = "rows_read";
  public static final String ROWS_ENCODED = "rows_encoded";
  public static final String ROWS_WRITTEN = "rows_written";
  public static final String RANGES_WRITTEN = "ranges_written";
  public static final String BYTES_WRITTEN = "bytes_written";
  public static final String RANGES_STREAMED = "ranges_streamed";
  public static final String RANGES_VERIFIED = "ranges_verified";
  /** Time spent sorting and writing ranges, summed over workers (the sink stage's busy time). */
  public static final String WRITE_NANOS = "write_nanos";
  public static final String BYTES_STREAMED = "bytes_streamed";

  private static final Map<String, AtomicLong> LOCAL = new ConcurrentHashMap<>();

  private Progress() {}

  /** A counter that updates both the Beam metric and the local view. */
  public static Step counter(String name) {
    return new Step(name);
  }

  /** Current local values, by name. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    LOCAL.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Resets local values (at the start of a run). */
  public static void reset() {
    LOCAL.clear();
  }

  /**
   * One named counter; serializable so DoFns can hold it. Like a DoFn, one instance is used by one
   * thread at a time.
   */
  public static final class Step implements java.io.Serializable {
    /** {@link #incOne} passes counts on in batches of this many. */
    static final int BATCH = 1024;
    private final String name;
    private transient Counter metric;
    private transient long pending;

    private Step(String name) {
      this.name = name;
    }

    public void inc(long n) {
      if (metric == null) {
        metric = Metrics.counter(NAMESPACE, name);
      }
      metric.inc(n);
      LOCAL.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
    }

    /**
     * Counts one, passing the count on every {@value #BATCH}: for per-row counts, where a Beam
     * counter's thread-local lookup and the shared local counter cost more than the row's work
     * in some steps. {@link #flush} passes on the rest; call it from {@code @FinishBundle}.
     */
    public void incOne() {
      if (++pending >= BATCH) {
        flush();
      }
    }

    /** Passes on what {@link #incOne} has counted and not yet passed on. */
    public void flush() {
      if (pending > 0) {
        long n = pending;
        pending = 0;
        inc(n);
      }
    }
  }
}
