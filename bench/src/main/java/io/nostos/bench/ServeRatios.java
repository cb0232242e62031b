package io.nostos.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serve benchmark's ratios to the driver at each concurrency, and the least the uncached
 * REST ratio can be while every process shares the same cores.
 *
 * <p>When the cores are saturated, a closed loop of {@code c} clients answers
 * {@code cores / cpu} requests per second, where {@code cpu} is the CPU all processes spend on one
 * request, so its mean latency is {@code c × cpu / cores}: latencies of two paths stand in the
 * ratio of their CPU per request. An uncached REST read is the driver's read (the server runs the
 * same query with the same driver) plus an HTTP hop: the Java client and the server's HTTP work.
 * The hop is measured by the cached path (client and server CPU of a read answered from the cache,
 * with no Cassandra work), so the uncached ratio cannot fall below
 * {@code 1 + hop / driver}, whatever the server does, unless Cassandra spends less per read behind
 * the server than behind the driver.
 */
final class ServeRatios {
  private ServeRatios() {}

  /**
   * One entry per concurrency that has all three modes ({@code rest+cache}, {@code rest},
   * {@code driver}), in the order the points came.
   */
  static List<Map<String, Object>> of(List<Map<String, Object>> points) {
    Map<Object, Map<String, Map<String, Object>>> byClients = new LinkedHashMap<>();
    for (Map<String, Object> p : points) {
      byClients.computeIfAbsent(p.get("clients"), c -> new LinkedHashMap<>()).put((String) p.get("mode"), p);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byClients.forEach((clients, modes) -> {
      Map<String, Object> cached = modes.get("rest+cache");
      Map<String, Object> uncached = modes.get("rest");
      Map<String, Object> driver = modes.get("driver");
      if (cached == null || uncached == null || driver == null) {
        return;
      }
      double hop = cpu(cached, "client") + cpu(cached, "server");
      double direct = cpu(driver, "client") + cpu(driver, "cassandra");
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("clients", clients);
      r.put("http_hop_cpu_us", hop);
      r.put("driver_cpu_us", direct);
      r.put("uncached_cpu_floor", direct > 0 ? 1 + hop / direct : Double.NaN);
      r.put("uncached_cpu_ratio", direct > 0 ? total(uncached) / direct : Double.NaN);
      r.put("uncached_p99_ratio", p99(uncached) / p99(driver));
      r.put("cached_p99_ratio", p99(cached) / p99(driver));
      out.add(r);
    });
    return out;
  }

  private static double cpu(Map<String, Object> point, String process) {
    Object us = ((Map<?, ?>) point.get("cpu_us_per_request")).get(process);
    return us == null ? 0 : ((Number) us).doubleValue();
  }

  private static double total(Map<String, Object> point) {
    return ((Map<?, ?>) point.get("cpu_us_per_request")).values().stream()
        .mapToDouble(v -> ((Number) v).doubleValue()).sum();
  }

  private static double p99(Map<String, Object> point) {
    return ((Number) point.get("p99_ms")).doubleValue();
  }
}
