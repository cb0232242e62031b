package io.nostos.transforms.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostos.transforms.BadRow;
import io.nostos.transforms.GeneratorConfigException;
import io.nostos.transforms.Generators;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class BucketizeTest {
  @Test
  void labelsEachRowByItsBucket(TestPipeline p) {
    PCollection<Record> out = p.apply(Create.of(List.of(
            Record.of("user", "u1", "minutes", 5L),
            Record.of("user", "u2", "minutes", "60"),
            Record.of("user", "u3", "minutes", null),
            Record.of("user", "u4", "minutes", "lots"))).withCoder(RecordCoder.of()))
        .apply(Generators.find("bucketize").create(Map.of("column", "minutes", "field", "engagement",
            "bounds", List.of(10L, 60L), "labels", List.of("low", "medium", "high")), List.of("user")));
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "minutes", 5L, "engagement", "low"),
        Record.of("user", "u2", "minutes", "60", "engagement", "high"),
        Record.of("user", "u3", "minutes", null, "engagement", null),
        BadRow.of(BadRow.UNPARSABLE_VALUE, "bucketize: 'minutes' is not a number: lots",
            Record.of("user", "u4", "minutes", "lots")));
    p.run();
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> new Bucketize.Factory().create(Map.of("column", "m", "field", "e",
        "bounds", List.of(10L), "labels", List.of("low")), List.of("user")))
        .isInstanceOfSatisfying(GeneratorConfigException.class, e -> assertThat(e.key()).isEqualTo("labels"))
        .hasMessage("bucketize: 'labels' needs one label more than bounds: 1 bounds, 1 labels");
  }
}
