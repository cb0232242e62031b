package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostos.transforms.Record;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableLayoutTest {
  @Test
  void documentCellsHoldJsonPerNonNullField() {
    Record r = Record.of("id", 7L, "langs", Map.of("primary", "es"), "score", 0.5, "gone", null, "name", "a\"b");
    assertThat(TableLayout.documentCells(r, List.of("id"))).containsExactly(
        Record.of("id", 7L, "field", "langs", "value", "{\"primary\":\"es\"}"),
        Record.of("id", 7L, "field", "score", "value", "0.5"),
        Record.of("id", 7L, "field", "name", "value", "\"a\\\"b\""));
  }

  @Test
  void emptyKeyIsAnError() {
    assertThatThrownBy(() -> TableLayout.documentCells(Record.of("id", "", "x", 1), List.of("id")))
        .hasMessageStartingWith("key column 'id' is empty in row");
    assertThatThrownBy(() -> TableLayout.documentCells(Record.of("x", 1), List.of("id")))
        .hasMessageContaining("column 'id' is not in the row; the row has: x");
  }
}
