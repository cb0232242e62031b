package io.nostos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeRatiosTest {
  private static Map<String, Object> point(String mode, int clients, double p99, Map<String, Double> cpu) {
    return Map.of("mode", mode, "clients", clients, "p99_ms", p99, "cpu_us_per_request", cpu);
  }

  @Test
  void theFloorIsTheDriversCpuPlusTheHttpHopOfACachedRead() {
    // The 32-client point of serve-2026-11-26T21-52-00.
    List<Map<String, Object>> points = List.of(
        point("rest+cache", 32, 3.27, Map.of("client", 29.0, "server", 34.0, "cassandra", 3.0)),
        point("rest", 32, 12.02, Map.of("client", 44.0, "server", 64.0, "cassandra", 145.0)),
        point("driver", 32, 4.77, Map.of("client", 28.0, "cassandra", 82.0)));
    Map<String, Object> r = ServeRatios.of(points).get(0);
    assertThat(r.get("clients")).isEqualTo(32);
    assertThat((double) r.get("http_hop_cpu_us")).isEqualTo(63.0);
    assertThat((double) r.get("driver_cpu_us")).isEqualTo(110.0);
    assertThat((double) r.get("uncached_cpu_floor")).isCloseTo(1.573, within(0.001));
    assertThat((double) r.get("uncached_cpu_ratio")).isCloseTo(2.3, within(0.001));
    assertThat((double) r.get("uncached_p99_ratio")).isCloseTo(2.520, within(0.001));
    assertThat((double) r.get("cached_p99_ratio")).isCloseTo(0.686, within(0.001));
  }

  @Test
  void aConcurrencyMissingAModeHasNoRatios() {
    List<Map<String, Object>> points = List.of(
        point("rest+cache", 1, 0.2, Map.of("client", 30.0, "server", 40.0)),
        point("driver", 1, 0.4, Map.of("client", 70.0, "cassandra", 190.0)),
        point("rest+cache", 8, 0.7, Map.of("client", 23.0, "server", 27.0)),
        point("rest", 8, 4.3, Map.of("client", 44.0, "server", 87.0, "cassandra", 216.0)),
        point("driver", 8, 2.3, Map.of("client", 46.0, "cassandra", 147.0)));
    assertThat(ServeRatios.of(points)).extracting(r -> r.get("clients")).containsExactly(8);
  }
}
