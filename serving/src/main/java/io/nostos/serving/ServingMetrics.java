package io.nostos.serving;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request metrics in the Prometheus text format: a latency histogram per route, a histogram of
 * Cassandra request latency, and response counts per route and status. Thread safe, lock free.
 */
final class ServingMetrics {
  /** Bucket upper bounds in seconds. */
  private static final double[] BUCKETS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  private static final class Histogram {
    final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
    final LongAdder count = new LongAdder();
    final AtomicLong sumNanos = new AtomicLong();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(long nanos) {
      double seconds = nanos / 1e9;
      int i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]) {
        i++;
      }
      counts[i].increment();
      count.increment();
      sumNanos.addAndGet(nanos);
    }

    void write(StringBuilder out, String name, String labels) {
      long cumulative = 0;
      String sep = labels.isEmpty() ? "" : labels + ",";
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += counts[i].sum();
        out.append(name).append("_bucket{").append(sep).append("le=\"").append(BUCKETS[i]).append("\"} ")
            .append(cumulative).append('\n');
      }
      cumulative += counts[BUCKETS.length].sum();
      out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(cumulative).append('\n');
      out.append(name).append("_sum").append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ')
          .append(String.format(Locale.ROOT, "%.6f", sumNanos.get() / 1e9)).append('\n');
      out.append(name).append("_count").append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ')
          .append(count.sum()).append('\n');
    }
  }

  private final Map<String, Histogram> routes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();
  private final Histogram cassandra = new Histogram();

  void request(String method, String route, int status, long nanos) {
    String key = "method=\"" + method + "\",route=\"" + route + "\"";
    routes.computeIfAbsent(key, k -> new Histogram()).observe(nanos);
    responses.computeIfAbsent(key + ",status=\"" + status + "\"", k -> new LongAdder()).increment();
  }

  void cassandraLatency(long nanos) {
    cassandra.observe(nanos);
  }

  String prometheus() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP nostos_http_request_seconds Latency of HTTP requests by route.\n");
    out.append("# TYPE nostos_http_request_seconds histogram\n");
    new TreeMap<>(routes).forEach((labels, h) -> h.write(out, "nostos_http_request_seconds", labels));
    out.append("# HELP nostos_http_responses_total HTTP responses by route and status.\n");
    out.append("# TYPE nostos_http_responses_total counter\n");
    new TreeMap<>(responses).forEach((labels, c) ->
        out.append("nostos_http_responses_total{").append(labels).append("} ").append(c.sum()).append('\n'));
    out.append("# HELP nostos_cassandra_request_seconds Latency of document reads from Cassandra.\n");
    out.append("# TYPE nostos_cassandra_request_seconds histogram\n");
    cassandra.write(out, "nostos_cassandra_request_seconds", "");
    return out.toString();
  }
}
