package io.nostos.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.VersionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentCacheTest {
  private static DatasetVersion version(int n, Instant created) {
    return new DatasetVersion("ds", n, VersionState.CURRENT, "ks", "ds_v" + n, "document", List.of("id"), Map.of(),
        0, 0, created, null, null, null, null, null);
  }

  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void answersAreKeptPerVersionKeyAndFields() {
    DocumentCache cache = new DocumentCache(1 << 20);
    DatasetVersion v1 = version(1, T0);
    cache.put(v1, "k", List.of("a"), "{\"a\":1}");
    assertThat(cache.get(v1, "k", List.of("a"))).hasValue("{\"a\":1}");
    assertThat(cache.get(v1, "k", List.of("a", "b"))).as("other fields").isEmpty();
    assertThat(cache.get(v1, "other", List.of("a"))).as("other key").isEmpty();
    assertThat(cache.get(version(2, T0), "k", List.of("a"))).as("other version").isEmpty();
    assertThat(cache.get(version(1, T0.plusSeconds(1)), "k", List.of("a")))
        .as("a table recreated under the same name").isEmpty();
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(4);
    assertThat(cache.prometheus()).contains("nostos_document_cache_requests_total{result=\"hit\"} 1\n")
        .contains("nostos_document_cache_requests_total{result=\"miss\"} 4\n");
  }

  @Test
  void offKeepsAndCountsNothing() {
    DocumentCache cache = new DocumentCache(0);
    cache.put(version(1, T0), "k", List.of(), "{}");
    assertThat(cache.get(version(1, T0), "k", List.of())).isEmpty();
    assertThat(cache.hits() + cache.misses()).isZero();
    assertThat(cache.prometheus()).contains("nostos_document_cache_bytes 0\n");
  }
}
