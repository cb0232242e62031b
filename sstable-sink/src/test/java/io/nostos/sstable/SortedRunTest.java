package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortedRunTest {
  /** Rows of 0 to 40 bytes, each filled with its index. */
  private static List<byte[]> rows() {
    List<byte[]> rows = new ArrayList<>();
    for (int i = 0; i < 41; i++) {
      byte[] row = new byte[i];
      Arrays.fill(row, (byte) i);
      rows.add(row);
    }
    return rows;
  }

  @Test
  void streamedRunsGiveBackEveryRowWhateverTheBufferSize() {
    byte[] packed = SortedRun.pack(rows());
    for (int buffer : new int[] {1, 4, 7, 16, 64, 1 << 16}) {
      List<byte[]> read = new ArrayList<>();
      SortedRun.rows(new ByteArrayInputStream(packed), "test", buffer).forEachRemaining(read::add);
      assertThat(read).as("buffer of %d bytes", buffer).containsExactlyElementsOf(rows());
    }
  }

  @Test
  void aRunCutShortFailsNamingItsSource() {
    byte[] packed = SortedRun.pack(rows());
    for (int cut : new int[] {packed.length - 1, packed.length - 41, packed.length - 43}) {
      Iterator<byte[]> read = SortedRun.rows(new ByteArrayInputStream(Arrays.copyOf(packed, cut)), "spill-3", 16);
      assertThatThrownBy(() -> read.forEachRemaining(row -> {}))
          .as("cut at %d of %d bytes", cut, packed.length)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessage("cannot read sorted run from spill-3 (was it deleted or truncated?)");
    }
  }
}
