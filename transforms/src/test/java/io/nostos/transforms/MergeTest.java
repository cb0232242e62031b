package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class MergeTest {
  private static PCollectionTuple inputs(TestPipeline p, Record... affinity) {
    PCollection<Record> languages = p.apply("Languages", Create.of(List.of(
        Record.of("user", "u1", "language", "es"),
        Record.of("user", "u2", "language", "en"))).withCoder(RecordCoder.of()));
    PCollection<Record> aff = p.apply("Affinity", Create.of(List.of(affinity)).withCoder(RecordCoder.of()));
    PCollection<Record> activity = p.apply("Activity", Create.of(List.of(
        Record.of("user", "u1", "minutes", 310L, "_input", "x"),
        Record.of("user", "u3", "minutes", 5L, "_input", "x"))).withCoder(RecordCoder.of()));
    return PCollectionTuple.of(JoinGeneratorFactory.tag("languages"), languages)
        .and(JoinGeneratorFactory.tag("affinity"), aff)
        .and(JoinGeneratorFactory.tag("activity"), activity);
  }

  @Test
  void outerJoinByKeyInInputOrder(TestPipeline p) {
    PCollection<Record> out = inputs(p, Record.of("user", "u1", "domains", Map.of("data", 1.0)))
        .apply(new Merge.Factory().createJoin(Map.of(), List.of("user"), List.of("languages", "affinity", "activity")));
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "language", "es", "domains", Map.of("data", 1.0), "minutes", 310L),
        Record.of("user", "u2", "language", "en"),
        Record.of("user", "u3", "minutes", 5L));
    p.run();
  }

  @Test
  void requiredInputsMakeItAnInnerJoin(TestPipeline p) {
    PCollection<Record> out = inputs(p, Record.of("user", "u1", "domains", Map.of("data", 1.0)))
        .apply(new Merge.Factory().createJoin(Map.of("required", List.of("languages")), List.of("user"),
            List.of("languages", "affinity", "activity")));
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "language", "es", "domains", Map.of("data", 1.0), "minutes", 310L),
        Record.of("user", "u2", "language", "en"));
    p.run();
  }

  @Test
  void twoRowsForOneKeyFailNamingTheInput(TestPipeline p) {
    inputs(p, Record.of("user", "u1", "domains", 1L), Record.of("user", "u1", "domains", 2L))
        .apply(Merge.of(List.of("languages", "affinity", "activity")).withKey(List.of("user")));
    assertThatThrownBy(p::run).hasMessageContaining("merge: input 'affinity' has more than one row for key [\"u1\"]");
  }

  @Test
  void aColumnInTwoInputsFails(TestPipeline p) {
    inputs(p, Record.of("user", "u1", "language", "fr"))
        .apply(Merge.of(List.of("languages", "affinity", "activity")).withKey(List.of("user")));
    assertThatThrownBy(p::run).hasMessageContaining(
        "merge: inputs 'languages' and 'affinity' both have column 'language'; rename one of them");
  }

  @Test
  void factoryNeedsTwoInputs() {
    assertThatThrownBy(() -> new Merge.Factory().createJoin(Map.of(), List.of("user"), List.of("a")))
        .hasMessage("merge needs input: [a, b, ...] with two or more distinct names");
    assertThatThrownBy(() -> new Merge.Factory().create(Map.of(), List.of("user")))
        .hasMessage("merge joins several inputs; list them with input: [a, b]");
  }
}
