package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class VoteTest {
  private static Map<String, Object> vote(String value, double share, Object... scores) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (int i = 0; i < scores.length; i += 2) {
      s.put((String) scores[i], scores[i + 1]);
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("value", value);
    v.put("share", share);
    v.put("scores", s);
    return v;
  }

  @Test
  void weightedVoteAcrossInputsWithShares(TestPipeline p) {
    PTransform<PCollection<Record>, PCollection<Record>> vote = new Vote.Factory().create(Map.of(
        "field", "language", "candidate", "lang", "strength", "w",
        "weights", Map.of("subtitles", 0.5, "browser", 0.3, "enrollments", 0.2)), List.of("user"));
    PCollection<Record> out = p.apply(Create.of(List.of(
            // u1: subtitles 300 min es / 100 min en; browser en; enrollments 2 es
            Record.of("user", "u1", "lang", "es", "w", 300L, "_input", "subtitles"),
            Record.of("user", "u1", "lang", "en", "w", "100", "_input", "subtitles"),
            Record.of("user", "u1", "lang", "en", "w", null, "_input", "browser"),
            Record.of("user", "u1", "lang", "en", "w", 1L, "_input", "browser"),
            Record.of("user", "u1", "lang", "es", "w", 2L, "_input", "enrollments"),
            // u2: only the browser signal, so its shares still sum to 1; a tie is broken by name
            Record.of("user", "u2", "lang", "pt", "w", 1L, "_input", "browser"),
            Record.of("user", "u2", "lang", "de", "w", 1L, "_input", "browser"),
            Record.of("user", "u3", "lang", "fr", "w", -1L, "_input", "browser"))).withCoder(RecordCoder.of()))
        .apply(vote);
    // es: 0.5*0.75 + 0.2*1 = 0.575; en: 0.5*0.25 + 0.3*1 = 0.425 (weights sum to 1)
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "language", vote("es", 0.575, "es", 0.575, "en", 0.425)),
        Record.of("user", "u2", "language", vote("de", 0.5, "de", 0.5, "pt", 0.5)),
        BadRow.of(BadRow.UNPARSABLE_VALUE, "strength column 'w' is negative",
            "{\"user\":\"u3\",\"lang\":\"fr\",\"w\":-1,\"_input\":\"browser\"}"));
    p.run();
  }

  @Test
  void scoresRenormaliseOverTheSignalsAKeyHas() {
    Map<String, Map<String, Double>> strengths = new TreeMap<>();
    strengths.put("a", Map.of("x", 3.0, "y", 1.0));
    strengths.put("b", Map.of("y", 5.0));
    // x: 0.75*1, y: 0.25*1 + 1*3 -> divided by 4
    assertThat(SignalScores.scores(strengths, Map.of("a", 1.0, "b", 3.0), 4))
        .containsExactly(Map.entry("y", 0.8125), Map.entry("x", 0.1875));
    assertThatThrownBy(() -> SignalScores.scores(strengths, Map.of("a", 1.0), 4))
        .hasMessageStartingWith("signal 'b' has no weight; weights are given for a");
  }

  @Test
  void factoryValidatesWeights() {
    assertThatThrownBy(() -> new Vote.Factory().create(Map.of("field", "l", "candidate", "c",
        "weights", Map.of("a", 0L)), List.of("user")))
        .hasMessage("vote: 'weights' signal 'a' must have a positive number as weight, e.g. 0.5");
    assertThatThrownBy(() -> new Vote.Factory().create(Map.of("field", "user", "candidate", "c"), List.of("user")))
        .hasMessage("vote: 'field' 'user' is a key column; pick another name");
  }
}
