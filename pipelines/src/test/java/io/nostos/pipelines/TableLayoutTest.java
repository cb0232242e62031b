package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.SSTableIO;
import io.nostos.sstable.TableSchema;
import io.nostos.transforms.BadRow;
import io.nostos.transforms.Record;
import java.util.Arrays;
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
  void rowFunctionPutsFieldsInBindOrderWritingJsonForTextColumns() throws Exception {
    TableSchema schema = new TableSchema("ks", "t_v1", List.of(
        new TableSchema.Column("id", "text", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("n", "int", TableSchema.Kind.REGULAR),
        new TableSchema.Column("doc", "text", TableSchema.Kind.REGULAR),
        new TableSchema.Column("tags", "list<text>", TableSchema.Kind.REGULAR)));
    SSTableIO.RowFunction<Record> columns = TableLayout.rowFunction(schema, Spec.Layout.COLUMNS);
    assertThat(columns.apply(Record.of("tags", List.of("a"), "doc", Map.of("k", 1), "id", "x")))
        .isEqualTo(Arrays.asList("x", null, "{\"k\":1}", List.of("a")));
    assertThatThrownBy(() -> columns.apply(Record.of("id", "x", "extra", 1)))
        .hasMessage("column 'extra' is not declared under columns: in the spec (declared: n, doc, tags); declare it "
            + "or drop it with a columns generator");
    assertThat(TableLayout.rowFunction(schema, Spec.Layout.DOCUMENT).apply(Record.of("id", "x", "extra", 1, "n", 2)))
        .isEqualTo(Arrays.asList("x", 2L, null, null));  // Record keeps integers as longs
  }

  @Test
  void emptyKeyIsAnError() {
    assertThatThrownBy(() -> TableLayout.documentCells(Record.of("id", "", "x", 1), List.of("id")))
        .hasMessageStartingWith("key column 'id' is empty in row");
    assertThatThrownBy(() -> TableLayout.documentCells(Record.of("x", 1), List.of("id")))
        .hasMessageContaining("column 'id' is not in the row; the row has: x");
  }

  @Test
  void badRowsNameTheirReason() {
    List<String> key = List.of("id");
    Map<String, String> types = Map.of("n", "int", "doc", "text");
    assertThat(TableLayout.badRowOrNull(Record.of("id", "a", "n", "5", "doc", Map.of("x", 1)), key,
        Spec.Layout.COLUMNS, types, 100)).isNull();
    assertThat(TableLayout.badRowOrNull(Record.of("id", null, "n", 1), key, Spec.Layout.DOCUMENT, types, 100))
        .isEqualTo(BadRow.of(BadRow.NULL_KEY, "key column 'id' is null", "{\"id\":null,\"n\":1}"));
    assertThat(TableLayout.badRowOrNull(Record.of("id", "a", "n", "five"), key, Spec.Layout.COLUMNS, types, 100))
        .satisfies(r -> assertThat(BadRow.reason(r)).isEqualTo(BadRow.UNPARSABLE_VALUE))
        .satisfies(r -> assertThat((String) r.get(BadRow.DETAIL)).startsWith("column 'n' (int): "));
    assertThat(TableLayout.badRowOrNull(Record.of("id", "a", "doc", "x".repeat(20)), key, Spec.Layout.DOCUMENT,
        types, 20)).satisfies(r -> assertThat(r.get(BadRow.DETAIL))
            .isEqualTo("the document is 30 bytes as JSON, more than bad_rows.max_document_bytes (20)"));
  }

  @Test
  void theSizeLimitIsExactAtItsBoundary() {
    List<String> key = List.of("id");
    Record doc = Record.of("id", "a", "doc", "x".repeat(20));  // {"doc":"xxxxxxxxxxxxxxxxxxxx"}: 30 bytes
    assertThat(TableLayout.badRowOrNull(doc, key, Spec.Layout.DOCUMENT, Map.of(), 30)).isNull();
    assertThat(TableLayout.badRowOrNull(doc, key, Spec.Layout.DOCUMENT, Map.of(), 29)).isNotNull();
  }

  @Test
  void theJsonSizeBoundIsNeverBelowTheRealSize() {
    List<Object> values = List.of("plain", "\u0001\u001f\"\\\n", "é ü ß", "日本語", "😀🎉", 42, -1.5e300, true,
        Map.of("k\u0000", List.of("a", Map.of("é", 1L))), java.util.Arrays.asList(null, "x"));
    for (Object v : values) {
      long exact = io.nostos.transforms.Json.write(v).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      assertThat(TableLayout.jsonBytesAtMost(v)).as("bound of %s", v).isGreaterThanOrEqualTo(exact);
    }
    assertThat(TableLayout.jsonBytesAtMost(java.time.Instant.EPOCH)).isEqualTo(Long.MAX_VALUE);
  }
}
