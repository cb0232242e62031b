package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMergerTest {
  @TempDir Path tmp;

  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private static List<byte[]> randomRecords(int n) {
    Random r = new Random(7);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[1 + r.nextInt(40)];
      r.nextBytes(b);
      out.add(b);
    }
    return out;
  }

  /** Cuts {@code records} into consecutive runs of {@code size}, each sorted and packed. */
  private static List<byte[]> runsOf(List<byte[]> records, int size) {
    List<byte[]> runs = new ArrayList<>();
    for (int from = 0; from < records.size(); from += size) {
      List<byte[]> run = new ArrayList<>(records.subList(from, Math.min(records.size(), from + size)));
      run.sort(UNSIGNED);
      runs.add(SortedRun.pack(run));
    }
    return runs;
  }

  private static List<byte[]> drain(Iterator<byte[]> it) {
    List<byte[]> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static List<byte[]> sorted(List<byte[]> records) {
    List<byte[]> copy = new ArrayList<>(records);
    copy.sort(UNSIGNED);
    return copy;
  }

  @Test
  void mergesRunsThatFitTheBudgetInMemory() {
    List<byte[]> in = randomRecords(1000);
    try (RunMerger m = new RunMerger(tmp, 1 << 20, UNSIGNED)) {
      runsOf(in, 90).forEach(m::add);
      List<byte[]> out = drain(m.merged());
      assertThat(m.runs()).isEqualTo(12);
      assertThat(m.spilledRuns()).isZero();
      assertThat(out).containsExactlyElementsOf(sorted(in));
    }
  }

  @Test
  void spillsRunsPastTheBudgetAndMergesThemWithTheOthers() throws Exception {
    List<byte[]> in = randomRecords(20_000);
    List<byte[]> out;
    try (RunMerger m = new RunMerger(tmp.resolve("spill"), 64 * 1024, UNSIGNED)) {
      runsOf(in, 1000).forEach(m::add);
      out = drain(m.merged());
      assertThat(m.runs()).isEqualTo(20);
      assertThat(m.spilledRuns()).isBetween(10, 19);
    }
    assertThat(out).containsExactlyElementsOf(sorted(in));
    try (var files = Files.list(tmp.resolve("spill"))) {
      assertThat(files.count()).as("spill files are deleted on close").isZero();
    }
  }

  @Test
  void aSingleRunComesBackAsIsAndEmptyRunsAreIgnored() {
    List<byte[]> in = sorted(randomRecords(50));
    try (RunMerger m = new RunMerger(tmp, 1 << 20, UNSIGNED)) {
      m.add(new byte[0]);
      m.add(SortedRun.pack(in));
      m.add(new byte[0]);
      assertThat(m.runs()).isEqualTo(1);
      assertThat(drain(m.merged())).containsExactlyElementsOf(in);
    }
  }

  @Test
  void equalRowsFromDifferentRunsAreAllKept() {
    byte[] same = {1, 2, 3};
    try (RunMerger m = new RunMerger(tmp, 1 << 20, UNSIGNED)) {
      m.add(SortedRun.pack(List.of(new byte[] {0}, same)));
      m.add(SortedRun.pack(List.of(same, new byte[] {9})));
      assertThat(drain(m.merged())).containsExactly(new byte[] {0}, same, same, new byte[] {9});
    }
  }

  @Test
  void theMergeGivesEveryRowInOrderAndTiesInSourceOrderForAnyNumberOfSources() {
    // Rows are {key, source, position}; only the key is compared, so ties show their source order.
    Comparator<byte[]> byKey = Comparator.comparingInt(r -> r[0]);
    Random random = new Random(11);
    for (int k : new int[] {0, 1, 2, 3, 5, 7, 8, 13, 100}) {
      List<Iterator<byte[]>> sources = new ArrayList<>();
      List<byte[]> all = new ArrayList<>();
      for (int s = 0; s < k; s++) {
        List<byte[]> run = new ArrayList<>();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
          run.add(new byte[] {(byte) random.nextInt(20), (byte) s, (byte) i});
        }
        run.sort(byKey);
        all.addAll(run);
        sources.add(run.iterator());
      }
      List<byte[]> expected = new ArrayList<>(all);
      expected.sort(byKey);  // stable: ties keep the order of the concatenation, that is of the sources
      assertThat(drain(new RunMerger.Merge(sources, byKey))).as("%d sources", k).containsExactlyElementsOf(expected);
    }
  }
}
