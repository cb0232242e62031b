package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class SSTableIOTest {
  @TempDir Path tmp;

  private static final TableSchema SCHEMA = new TableSchema("ks", "items_v1", List.of(
      new TableSchema.Column("id", "bigint", TableSchema.Kind.PARTITION_KEY),
      new TableSchema.Column("name", "text", TableSchema.Kind.REGULAR)));

  private SSTableIO.Write<KV<Long, String>> write(int ranges) {
    return SSTableIO.<KV<Long, String>>write()
        .withSchema(SCHEMA)
        .withRanges(TokenRangePlanner.plan(List.of(), ranges))
        .withOutputDirectory(tmp.toString())
        .withRowFunction(kv -> List.of(kv.getKey(), kv.getValue()))
        .withSortBufferMiB(1)
        .withSampleSizePerRange(5);
  }

  /** The ranges together hold {@code expected} rows. */
  private static void assertTotalRows(PCollection<RangeResult> ranges, long expected) {
    PAssert.that(ranges.apply("Rows", MapElements.into(TypeDescriptors.longs()).via(RangeResult::rows)))
        .satisfies(counts -> {
          long total = 0;
          for (long c : counts) {
            total += c;
          }
          assertThat(total).isEqualTo(expected);
          return null;
        });
  }

  @Test
  void writesOneSortedSSTablePerNonEmptyRange(TestPipeline p) {
    List<KV<Long, String>> rows = IntStream.range(0, 3000).mapToObj(i -> KV.of((long) i, "name " + i)).toList();
    PCollection<RangeResult> results = p.apply(Create.of(rows)).apply(write(4)).getRanges();
    PCollection<String> summary = results.apply("Summaries", MapElements.into(TypeDescriptors.strings()).via(r -> {
      boolean tokensInside = r.rows() > 0 && r.range().contains(r.minToken()) && r.range().contains(r.maxToken());
      boolean oneSSTable = r.files().stream().filter(f -> f.name().endsWith("-Data.db")).count() == 1;
      boolean realFilter = r.files().stream().anyMatch(f -> f.name().endsWith("-Filter.db") && f.size() > 100);
      return r.rangeId() + ":" + tokensInside + ":" + oneSSTable + ":" + realFilter + ":" + (r.partitions() == r.rows())
          + ":" + r.sample().size();
    }));
    PAssert.that(summary).containsInAnyOrder("0:true:true:true:true:5", "1:true:true:true:true:5",
        "2:true:true:true:true:5", "3:true:true:true:true:5");
    assertTotalRows(results, 3000);
    p.run();
    assertThat(Files.exists(tmp.resolve("range-0/ks/items_v1"))).isTrue();
  }

  @Test
  void rangesLargerThanTheSortBufferSpillAndStillComeOutSorted(TestPipeline p) {
    // 40k rows of ~100 bytes in one range do not fit the 1 MiB sort buffer: the encoding step hands
    // out several sorted runs, and the writer spills those past its budget to disk.
    List<KV<Long, String>> rows = IntStream.range(0, 40_000).mapToObj(i -> KV.of((long) i, "x".repeat(60) + i)).toList();
    PCollection<RangeResult> results = p.apply(Create.of(rows)).apply(write(1)).getRanges();
    PAssert.that(results.apply(MapElements.into(TypeDescriptors.strings())
            .via(r -> r.rows() + " rows, spilled: " + (r.spilledRuns() > 1))))
        .containsInAnyOrder("40000 rows, spilled: true");
    p.run();
  }

  @Test
  void rejectedElementsComeOutUnchangedAndAreNotWritten(TestPipeline p) {
    List<KV<Long, String>> rows = IntStream.range(0, 100).mapToObj(i -> KV.of((long) i, i % 10 == 0 ? "bad" : "ok"))
        .toList();
    SSTableIO.WriteResult<KV<Long, String>> written = p.apply(Create.of(rows))
        .apply(write(2).withRejects(kv -> kv.getValue().equals("bad")));
    PAssert.that(written.getRejected()).containsInAnyOrder(
        IntStream.range(0, 10).mapToObj(i -> KV.of(i * 10L, "bad")).toList());
    assertTotalRows(written.getRanges(), 90);
    p.run();
  }

  /** Counts the rejected rows as "bad" and admits while they are at most {@code max}. */
  private record AtMostBad(long max) implements SSTableIO.RejectGate<KV<Long, String>> {
    @Override
    public void count(KV<Long, String> rejected, Map<String, Long> tally) {
      tally.merge("bad", 1L, Long::sum);
    }

    @Override
    public boolean admits(Map<String, Long> total) {
      if (!total.keySet().equals(Set.of("bad"))) {
        throw new AssertionError("the gate was given " + total);
      }
      return total.get("bad") <= max;
    }
  }

  private static List<KV<Long, String>> tenBadInAHundred() {
    return IntStream.range(0, 100).mapToObj(i -> KV.of((long) i, i % 10 == 0 ? "bad" : "ok " + i)).toList();
  }

  @Test
  void aGateThatAdmitsTheWholeInputsRejectsLetsEveryRangeBeWritten(TestPipeline p) {
    // The rejects are spread over the input and every range; a gate deciding on a partial count
    // (one bundle's, or one range's) would admit 9 of them but not 10, or fail on a missing count.
    SSTableIO.WriteResult<KV<Long, String>> written = p.apply(Create.of(tenBadInAHundred()))
        .apply(write(4).withRejects(kv -> kv.getValue().equals("bad")).withRejectGate(new AtMostBad(10)));
    assertTotalRows(written.getRanges(), 90);
    PAssert.that(written.getRejected()).containsInAnyOrder(
        IntStream.range(0, 10).mapToObj(i -> KV.of(i * 10L, "bad")).toList());
    p.run();
  }

  @Test
  void aGateThatRefusesLeavesEveryRangeUnwrittenAndStillHandsBackTheRejects(TestPipeline p) throws Exception {
    SSTableIO.WriteResult<KV<Long, String>> written = p.apply(Create.of(tenBadInAHundred()))
        .apply(write(4).withRejects(kv -> kv.getValue().equals("bad")).withRejectGate(new AtMostBad(9)));
    PAssert.that(written.getRanges()).empty();
    PAssert.that(written.getRejected()).containsInAnyOrder(
        IntStream.range(0, 10).mapToObj(i -> KV.of(i * 10L, "bad")).toList());
    p.run();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("range-")).toList()).isEmpty();
    }
  }

  @Test
  void rejectsSplitOffUpstreamAreCountedByTheGateAndHandedBackWithTheOthers(TestPipeline p) {
    List<KV<Long, String>> upstream = IntStream.range(0, 5).mapToObj(i -> KV.of(1000L + i, "bad")).toList();
    List<KV<Long, String>> allRejects = new java.util.ArrayList<>(upstream);
    IntStream.range(0, 10).mapToObj(i -> KV.of(i * 10L, "bad")).forEach(allRejects::add);
    SSTableIO.Write<KV<Long, String>> write = write(4).withRejects(kv -> kv.getValue().equals("bad"));
    SSTableIO.WriteResult<KV<Long, String>> admitted = p.apply("Input", Create.of(tenBadInAHundred()))
        .apply("Admitted", write.withRejectGate(new AtMostBad(15))
            .withUpstreamRejects(p.apply("Upstream", Create.of(upstream))));
    assertTotalRows(admitted.getRanges(), 90);
    PAssert.that(admitted.getRejected()).containsInAnyOrder(allRejects);
    SSTableIO.WriteResult<KV<Long, String>> refused = p.apply("Input2", Create.of(tenBadInAHundred()))
        .apply("Refused", write.withOutputDirectory(tmp.resolve("refused").toString())
            .withRejectGate(new AtMostBad(14)).withUpstreamRejects(p.apply("Upstream2", Create.of(upstream))));
    PAssert.that(refused.getRanges()).empty();
    PAssert.that(refused.getRejected()).containsInAnyOrder(allRejects);
    p.run();
  }

  @Test
  void upstreamRejectsNeedAGate(TestPipeline p) {
    PCollection<KV<Long, String>> in = p.apply(Create.of(KV.of(1L, "a")));
    PCollection<KV<Long, String>> upstream = p.apply("Upstream", Create.of(KV.of(2L, "bad")));
    assertThatThrownBy(() -> in.apply(write(2).withRejects(kv -> false).withUpstreamRejects(upstream)))
        .hasMessage("withUpstreamRejects() are counted by the gate; call withRejectGate() too");
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void aRejectGateNeedsRejects(TestPipeline p) {
    PCollection<KV<Long, String>> in = p.apply(Create.of(KV.of(1L, "a")));
    assertThatThrownBy(() -> in.apply(write(2).withRejectGate(new AtMostBad(0))))
        .hasMessage("withRejectGate() counts what withRejects() diverts; call withRejects() too");
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void duplicateKeysFailNamingTheKey(TestPipeline p) {
    p.enableAbandonedNodeEnforcement(false);
    // One range: with several, the DirectRunner reports the failure while other ranges may still be
    // writing into the temp dir, and its cleanup then races them.
    p.apply(Create.of(KV.of(1L, "a"), KV.of(2L, "b"), KV.of(1L, "c"))).apply(write(1));
    assertThatThrownBy(p::run).hasMessageContaining("primary key (id=1) appears more than once in ks.items_v1");
  }

  @Test
  void expandNamesTheMissingSetting(TestPipeline p) {
    PCollection<KV<Long, String>> in = p.apply(Create.of(KV.of(1L, "a")));
    assertThatThrownBy(() -> in.apply(SSTableIO.<KV<Long, String>>write().withSchema(SCHEMA)
            .withOutputDirectory(tmp.toString()).withRowFunction(kv -> List.of(kv.getKey(), kv.getValue()))))
        .hasMessage("withRanges() is required");
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void refusesWindowedInput(TestPipeline p) {
    PCollection<KV<Long, String>> windowed = p.apply(Create.of(KV.of(1L, "a")))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    assertThatThrownBy(() -> windowed.apply(write(1)))
        .hasMessageContaining("needs its input in the global window");
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void rangesMustCoverTheRing() {
    assertThatThrownBy(() -> SSTableIO.write().withRanges(List.of(new TokenRange(0, 10))))
        .hasMessageContaining("must cover the whole ring");
  }

  @Test
  void rangesGroupedUnderOtherKeysAreWrittenTheSame(TestPipeline p) {
    List<KV<Long, String>> rows = IntStream.range(0, 3000).mapToObj(i -> KV.of((long) i, "name " + i)).toList();
    PCollection<RangeResult> results = p.apply(Create.of(rows))
        .apply(write(4).withRangeKeys(List.of(17, 3, 250, 9)))
        .getRanges();
    PAssert.that(results.apply("Ids", MapElements.into(TypeDescriptors.integers()).via(RangeResult::rangeId)))
        .containsInAnyOrder(0, 1, 2, 3);
    assertTotalRows(results, 3000);
    p.run();
  }

  @Test
  void rangeKeysMustBeDistinctAndOnePerRange(TestPipeline p) {
    assertThatThrownBy(() -> write(2).withRangeKeys(List.of(5, 5)))
        .hasMessage("withRangeKeys(keys) needs distinct keys, got [5, 5]");
    PCollection<KV<Long, String>> in = p.apply(Create.of(KV.of(1L, "a")));
    assertThatThrownBy(() -> in.apply(write(4).withRangeKeys(List.of(1, 2))))
        .hasMessage("withRangeKeys() gave 2 keys for 4 ranges; give one per range of withRanges()");
    p.enableAbandonedNodeEnforcement(false);
  }
}
