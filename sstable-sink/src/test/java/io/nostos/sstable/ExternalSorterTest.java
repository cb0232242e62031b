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

class ExternalSorterTest {
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

  private static List<byte[]> drain(Iterator<byte[]> it) {
    List<byte[]> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void sortsInMemoryWhenTheBudgetIsNotReached() {
    List<byte[]> in = randomRecords(1000);
    try (ExternalSorter s = new ExternalSorter(tmp, 1 << 20, UNSIGNED)) {
      in.forEach(s::add);
      List<byte[]> out = drain(s.sorted());
      assertThat(s.spilledRuns()).isZero();
      in.sort(UNSIGNED);
      assertThat(out).containsExactlyElementsOf(in);
    }
  }

  @Test
  void spillsRunsAndMergesThemInOrder() throws Exception {
    List<byte[]> in = randomRecords(20_000);
    List<byte[]> out;
    try (ExternalSorter s = new ExternalSorter(tmp, 64 * 1024, UNSIGNED)) {
      in.forEach(s::add);
      out = drain(s.sorted());
      assertThat(s.spilledRuns()).isGreaterThan(10);
    }
    in.sort(UNSIGNED);
    assertThat(out).containsExactlyElementsOf(in);
    try (var files = Files.list(tmp)) {
      assertThat(files.count()).as("run files are deleted on close").isZero();
    }
  }
}
