package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class AggregateTest {
  @Test
  void everyFunctionPerKeyFromTheSpecForm(TestPipeline p) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("views", "count");
    metrics.put("courses", Map.of("count_distinct", "course"));
    metrics.put("minutes", Map.of("sum", "minutes"));
    metrics.put("avg_minutes", Map.of("avg", "minutes"));
    metrics.put("first", Map.of("min", "day"));
    metrics.put("last", Map.of("max", "day"));
    metrics.put("rated", Map.of("count", "rating"));
    PTransform<PCollection<Record>, PCollection<Record>> agg =
        new Aggregate.Factory().create(Map.of("metrics", metrics), List.of("user"));
    PCollection<Record> out = p.apply(Create.of(List.of(
            Record.of("user", "u1", "course", "c1", "minutes", "10", "day", "2024-03-01", "rating", 4L),
            Record.of("user", "u1", "course", "c1", "minutes", 20L, "day", "2024-01-15", "rating", null),
            Record.of("user", "u1", "course", "c2", "minutes", 2.5, "day", "2024-02-01", "rating", 5L),
            Record.of("user", "u2", "course", "c3", "minutes", null, "day", "2024-05-05", "rating", null),
            Record.of("user", "u2", "course", "c3", "minutes", "lots", "day", "2024-05-06", "rating", null)))
            .withCoder(RecordCoder.of()))
        .apply(agg);
    Map<String, Object> u1 = new LinkedHashMap<>();
    u1.put("user", "u1");
    u1.put("views", 3L);
    u1.put("courses", 2L);
    u1.put("minutes", 32.5);
    u1.put("avg_minutes", 32.5 / 3);
    u1.put("first", "2024-01-15");
    u1.put("last", "2024-03-01");
    u1.put("rated", 2L);
    Map<String, Object> u2 = new LinkedHashMap<>();
    u2.put("user", "u2");
    u2.put("views", 1L);
    u2.put("courses", 1L);
    u2.put("minutes", null);
    u2.put("avg_minutes", null);
    u2.put("first", "2024-05-05");
    u2.put("last", "2024-05-05");
    u2.put("rated", 0L);
    PAssert.that(out).containsInAnyOrder(Record.of(u1), Record.of(u2),
        BadRow.of(BadRow.UNPARSABLE_VALUE, "aggregate: metric 'minutes': column 'minutes' is \"lots\", not a number",
            "{\"user\":\"u2\",\"course\":\"c3\",\"minutes\":\"lots\",\"day\":\"2024-05-06\",\"rating\":null}"));
    p.run();
  }

  @Test
  void wholeNumberSumsStayWholeAndGroupByMayExtendTheKey(TestPipeline p) {
    PCollection<Record> out = p.apply(Create.of(List.of(
            Record.of("user", "u1", "domain", "data", "n", 2L),
            Record.of("user", "u1", "domain", "data", "n", "3"),
            Record.of("user", "u1", "domain", "web", "n", 1L))).withCoder(RecordCoder.of()))
        .apply(Aggregate.by(List.of("user", "domain")).withMetric("n", Aggregate.Function.SUM, "n"));
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "domain", "data", "n", 5L),
        Record.of("user", "u1", "domain", "web", "n", 1L));
    p.run();
  }

  @Test
  void factoryErrorsNameTheMetric() {
    assertThatThrownBy(() -> new Aggregate.Factory().create(Map.of("metrics", Map.of("x", Map.of("median", "v"))),
        List.of("user")))
        .isInstanceOf(GeneratorConfigException.class)
        .hasMessage("aggregate: 'metrics' metric 'x': unknown function 'median'; use count, count_distinct, sum, avg, "
            + "min or max");
    assertThatThrownBy(() -> Aggregate.by(List.of("user")).withMetric("user", Aggregate.Function.COUNT, null))
        .hasMessage("metric 'user' clashes with a group column or another metric");
  }
}
