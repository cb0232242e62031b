package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CqlValuesTest {
  @Test
  void convertsWhatSourcesGive() {
    assertThat(CqlValues.coerce("bigint", 7)).isEqualTo(7L);
    assertThat(CqlValues.coerce("bigint", "42")).isEqualTo(42L);
    assertThat(CqlValues.coerce("int", 7L)).isEqualTo(7);
    assertThat(CqlValues.coerce("double", "0.5")).isEqualTo(0.5);
    assertThat(CqlValues.coerce("text", 12L)).isEqualTo("12");
    assertThat(CqlValues.coerce("boolean", "t")).isEqualTo(true);
    assertThat(CqlValues.coerce("timestamp", "2026-01-02T03:04:05Z")).isEqualTo(Date.from(java.time.Instant.parse("2026-01-02T03:04:05Z")));
    assertThat(CqlValues.coerce("list<bigint>", List.of(1, "2"))).isEqualTo(List.of(1L, 2L));
    assertThat(CqlValues.coerce("set<text>", List.of("a", "a"))).isEqualTo(new LinkedHashSet<>(List.of("a")));
    assertThat(CqlValues.coerce("map<text, double>", Map.of("a", 1L))).isEqualTo(Map.of("a", 1.0));
    assertThat(CqlValues.coerce("bigint", null)).isNull();
  }

  @Test
  void errorsNameTheValueAndTheType() {
    assertThatThrownBy(() -> CqlValues.coerce("bigint", "12x")).hasMessageStartingWith("cannot convert String '12x' to CQL type bigint");
    assertThatThrownBy(() -> CqlValues.coerce("bigint", 1.5)).hasMessageContaining("has a fractional part");
    assertThatThrownBy(() -> CqlValues.coerce("duration", "1h")).hasMessageContaining("unsupported CQL type");
  }
}
