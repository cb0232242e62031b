package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ColumnsTest {
  private static PCollection<Record> input(TestPipeline p, Record... rows) {
    return p.apply(Create.of(List.of(rows)).withCoder(RecordCoder.of()));
  }

  @Test
  void selectsRenamesAndCasts(TestPipeline p) {
    PCollection<Record> out = input(p,
            Record.of("id", "7", "raw", "0.5", "flag", "yes", "extra", "x", "doc", "{\"a\":[1,2]}"),
            Record.of("id", "8", "raw", "", "flag", "f", "extra", "y", "doc", null))
        .apply(Columns.select()
            .withColumn("user_id", "id", ValueType.BIGINT)
            .withColumn("score", "raw", ValueType.DOUBLE)
            .withColumn("flag", "flag", ValueType.BOOLEAN)
            .withColumn("doc", "doc", ValueType.JSON));
    PAssert.that(out).containsInAnyOrder(
        Record.of("user_id", 7L, "score", 0.5, "flag", true, "doc", Map.of("a", List.of(1L, 2L))),
        Record.of("user_id", 8L, "score", null, "flag", false, "doc", null));
    p.run();
  }

  @Test
  void keepsOtherColumnsWhenAsked(TestPipeline p) {
    PCollection<Record> out = input(p, Record.of("a", 1, "b", 2, "c", 3))
        .apply(Columns.select().withColumn("x", "a", ValueType.TEXT).withKeepOthers(true));
    PAssert.that(out).containsInAnyOrder(Record.of("x", "1", "b", 2L, "c", 3L));
    p.run();
  }

  @Test
  void aValueThatDoesNotCastBecomesABadRowNamingTheColumn(TestPipeline p) {
    PCollection<Record> out = input(p, Record.of("id", "7", "n", "12"), Record.of("id", "8", "n", "twelve"))
        .apply(Columns.select().withColumn("id", "id", ValueType.TEXT).withColumn("n", "n", ValueType.BIGINT));
    PAssert.that(out).containsInAnyOrder(
        Record.of("id", "7", "n", 12L),
        BadRow.of(BadRow.UNPARSABLE_VALUE, "columns: column 'n': cannot cast 'twelve' to bigint (For input string: \"twelve\")",
            "{\"id\":\"8\",\"n\":\"twelve\"}"));
    p.run();
  }

  @Test
  void missingColumnNamesWhatTheRowHas(TestPipeline p) {
    input(p, Record.of("a", 1)).apply(Columns.select().withColumn("x", "nope", ValueType.ANY));
    assertThatThrownBy(p::run).hasMessageContaining("column 'nope' is not in the row; the row has: a");
  }

  @Test
  void selectingTheSameOutputTwiceIsRejected() {
    assertThatThrownBy(() -> Columns.select().withColumn("x", "a", ValueType.ANY).withColumn("x", "b", ValueType.ANY))
        .hasMessage("withColumn(): column 'x' is selected twice");
  }

  @Test
  void factoryReadsTheSpecForm() {
    Map<String, Object> select = new LinkedHashMap<>();
    select.put("id", "user_id");
    select.put("score", Map.of("from", "s", "type", "double"));
    select.put("same", null);
    Columns c = (Columns) new Columns.Factory().create(Map.of("select", select), List.of("id"));
    assertThat(c.getMappings()).containsExactly(
        new Columns.Mapping("id", "user_id", ValueType.ANY),
        new Columns.Mapping("score", "s", ValueType.DOUBLE),
        new Columns.Mapping("same", "same", ValueType.ANY));
  }

  @Test
  void factoryRejectsUnknownTypesNamingTheKey() {
    assertThatThrownBy(() -> new Columns.Factory().create(Map.of("select", Map.of("s", Map.of("type", "money"))), List.of()))
        .isInstanceOfSatisfying(GeneratorConfigException.class, e -> assertThat(e.key()).isEqualTo("select"))
        .hasMessageContaining("column 's': unknown type 'money'");
  }
}
