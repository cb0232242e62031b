package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class RecordTest {
  @Test
  void normalisesJdbcValues() {
    Record r = Record.of("i", 3, "d", new BigDecimal("2.50"), "w", new BigDecimal("10"), "f", 1.5f,
        "ts", java.sql.Timestamp.from(java.time.Instant.parse("2026-01-02T03:04:05Z")),
        "date", java.sql.Date.valueOf("2026-01-02"), "arr", new Object[] {1, "a"});
    assertThat(r.asMap()).containsExactly(
        Map.entry("i", 3L), Map.entry("d", 2.5), Map.entry("w", 10L), Map.entry("f", 1.5),
        Map.entry("ts", "2026-01-02T03:04:05Z"), Map.entry("date", "2026-01-02"), Map.entry("arr", List.of(1L, "a")));
  }

  @Test
  void ofTextKeepsOrderNullsAndTheLastOfARepeatedName() {
    Record r = Record.ofText(List.of("id", "n", "id", "z"), java.util.Arrays.asList("a", null, "b", ""));
    assertThat(r.names()).containsExactly("id", "n", "z");
    assertThat(r.asMap()).containsEntry("id", "b").containsEntry("n", null).containsEntry("z", "");
    assertThat(r).isEqualTo(Record.of("id", "b", "n", null, "z", ""));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Record.ofText(List.of("a"), List.of()))
        .hasMessage("1 names for 0 values");
  }

  @Test
  void coderRoundTripsNestedValues() throws Exception {
    Record r = Record.of("a", Map.of("b", List.of(1L, 2.5, "x", true)), "n", null, "d", 1.0);
    byte[] bytes = CoderUtils.encodeToByteArray(RecordCoder.of(), r);
    assertThat(CoderUtils.decodeFromByteArray(RecordCoder.of(), bytes)).isEqualTo(r);
  }

  @Test
  void coderKeepsTypesOrderAndTextExactly() throws Exception {
    Record r = Record.of("z", 1.0, "a", -7L, "big", Long.MIN_VALUE, "t", "ü \"q\" ホーム", "f", false,
        "l", List.of(List.of(), Map.of()), "nothing", null);
    Record back = CoderUtils.decodeFromByteArray(RecordCoder.of(), CoderUtils.encodeToByteArray(RecordCoder.of(), r));
    assertThat(back.names()).containsExactly("z", "a", "big", "t", "f", "l", "nothing");
    assertThat(back.get("z")).isInstanceOf(Double.class).isEqualTo(1.0);
    assertThat(back.get("big")).isEqualTo(Long.MIN_VALUE);
    assertThat(back).isEqualTo(r);
  }
}
