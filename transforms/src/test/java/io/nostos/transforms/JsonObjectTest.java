package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
class JsonObjectTest {
  @Test
  void nestsColumnsByDottedPathAndDropsTheInputs(TestPipeline p) {
    PCollection<Record> out = p.apply(Create.of(List.of(
            Record.of("id", "u1", "lang", "es", "sub", 0.8, "br", null, "other", 1))).withCoder(RecordCoder.of()))
        .apply(JsonObject.into("languages")
            .withPath("primary", "lang")
            .withPath("scores.subtitles", "sub")
            .withPath("scores.browser", "br"));
    PAssert.that(out).containsInAnyOrder(Record.of("id", "u1", "other", 1L,
        "languages", Map.of("primary", "es", "scores", Map.of("subtitles", 0.8))));
    p.run();
  }

  @Test
  void keepsInputsWhenAsked(TestPipeline p) {
    PCollection<Record> out = p.apply(Create.of(List.of(Record.of("a", 1))).withCoder(RecordCoder.of()))
        .apply(JsonObject.into("o").withPath("x.y", "a").withKeepInputs(true));
    PAssert.that(out).containsInAnyOrder(Record.of("a", 1L, "o", Map.of("x", Map.of("y", 1L))));
    p.run();
  }

  @Test
  void conflictingPathsAreRejected() {
    assertThatThrownBy(() -> JsonObject.into("o").withPath("a", "x").withPath("a.b", "y"))
        .hasMessage("withPath(): path 'a.b' conflicts with 'a' (a value cannot also be an object)");
    assertThatThrownBy(() -> JsonObject.into("o").withPath("a..b", "x")).hasMessageContaining("not a dotted path");
  }

  @Test
  void factoryRefusesAKeyColumnAsField() {
    assertThatThrownBy(() -> new JsonObject.Factory().create(Map.of("field", "id", "paths", Map.of("a", "b")), List.of("id")))
        .hasMessage("json_object: 'field' 'id' is a key column; pick another name");
  }
}
