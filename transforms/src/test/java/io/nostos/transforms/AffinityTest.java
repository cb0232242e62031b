package io.nostos.transforms;

import java.util.LinkedHashMap;
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
class AffinityTest {
  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void sharesPerCategoryHighestFirstAndTopN(TestPipeline p) {
    PCollection<Record> in = p.apply(Create.of(List.of(
        Record.of("user", "u1", "domain", "data", "hours", 6L),
        Record.of("user", "u1", "domain", "web", "hours", 3L),
        Record.of("user", "u1", "domain", "data", "hours", 3L),
        Record.of("user", "u1", "domain", "design", "hours", 1L),
        Record.of("user", "u1", "domain", null, "hours", 9L),
        Record.of("user", "u2", "domain", "web", "hours", 2L))).withCoder(RecordCoder.of()));
    PCollection<Record> all = in.apply("All", Affinity.into("domains").withKey(List.of("user"))
        .withCategory("domain").withStrength("hours"));
    PCollection<Record> top2 = in.apply("Top2", Affinity.into("domains").withKey(List.of("user"))
        .withCategory("domain").withStrength("hours").withTop(2).withPrecision(2));
    PAssert.that(all).containsInAnyOrder(
        Record.of("user", "u1", "domains", ordered("data", 0.6923, "web", 0.2308, "design", 0.0769)),
        Record.of("user", "u2", "domains", ordered("web", 1.0)));
    PAssert.that(top2).containsInAnyOrder(
        Record.of("user", "u1", "domains", ordered("data", 0.69, "web", 0.23)),
        Record.of("user", "u2", "domains", ordered("web", 1.0)));
    p.run();
  }

  @Test
  void rowsCountOneEachWithoutAStrengthAndSignalsWeigh(TestPipeline p) {
    PCollection<Record> out = p.apply(Create.of(List.of(
            Record.of("user", "u1", "domain", "data", "_input", "enrollments"),
            Record.of("user", "u1", "domain", "web", "_input", "enrollments"),
            Record.of("user", "u1", "domain", "data", "_input", "views"))).withCoder(RecordCoder.of()))
        .apply(new Affinity.Factory().create(Map.of("field", "aff", "category", "domain",
            "weights", Map.of("enrollments", 1L, "views", 3L)), List.of("user")));
    // data: (0.5*1 + 1*3)/4 = 0.875; web: 0.5/4 = 0.125
    PAssert.that(out).containsInAnyOrder(Record.of("user", "u1", "aff", ordered("data", 0.875, "web", 0.125)));
    p.run();
  }
}
