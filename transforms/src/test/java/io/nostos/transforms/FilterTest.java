package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
class FilterTest {
  @Test
  void keepsRowsMatchingEveryConditionAndDivertsUncomparableOnes(TestPipeline p) {
    PTransform<PCollection<Record>, PCollection<Record>> filter = new Filter.Factory().create(
        Map.of("where", List.of("minutes >= 5", "lang in [en, es]")), List.of("user"));
    PCollection<Record> out = p.apply(Create.of(List.of(
            Record.of("user", "u1", "minutes", "30", "lang", "en"),
            Record.of("user", "u2", "minutes", "3", "lang", "en"),
            Record.of("user", "u3", "minutes", 12L, "lang", "fr"),
            Record.of("user", "u4", "minutes", null, "lang", "es"),
            Record.of("user", "u5", "minutes", "n/a", "lang", "es"))).withCoder(RecordCoder.of()))
        .apply(filter);
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "minutes", "30", "lang", "en"),
        BadRow.of(BadRow.UNPARSABLE_VALUE, "filter: column 'minutes' is \"n/a\", not a number, in 'minutes >= 5'",
            "{\"user\":\"u5\",\"minutes\":\"n/a\",\"lang\":\"es\"}"));
    p.run();
  }

  @Test
  void factoryPointsAtWhere() {
    assertThatThrownBy(() -> new Filter.Factory().create(Map.of("where", "score ~ 3"), List.of("user")))
        .isInstanceOf(GeneratorConfigException.class)
        .hasMessageStartingWith("filter: 'where' 'score ~ 3' is not a condition");
  }
}
