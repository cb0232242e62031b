package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunBufferTest {
  /** An encoded row with the given token and key, and no values. */
  private static byte[] row(long token, String key) {
    return EncodedRow.encode(token, ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)),
        ByteBuffer.allocate(0), List.of());
  }

  private static final int ROW_BYTES = row(0, "k0").length + RunBuffer.ROW_OVERHEAD;

  /** What the buffer handed out, as "range:key,key,…" per run. */
  private final List<String> emitted = new ArrayList<>();

  private void collect(int rangeId, byte[] run) {
    List<String> keys = new ArrayList<>();
    SortedRun.rows(run).forEachRemaining(r ->
        keys.add(StandardCharsets.UTF_8.decode(EncodedRow.partitionKey(r)).toString()));
    emitted.add(rangeId + ":" + String.join(",", keys));
  }

  @Test
  void aRangeLeavesAsOneSortedRunWhenItReachesTheRunSize() {
    RunBuffer buffer = new RunBuffer(2, 3L * ROW_BYTES, 100L * ROW_BYTES);
    buffer.add(0, row(30, "k3"), this::collect);
    buffer.add(1, row(-5, "k9"), this::collect);
    buffer.add(0, row(10, "k1"), this::collect);
    assertThat(emitted).isEmpty();
    buffer.add(0, row(20, "k2"), this::collect);
    assertThat(emitted).containsExactly("0:k1,k2,k3");
  }

  @Test
  void theLargestRangeLeavesWhenAllRangesTogetherReachTheBudget() {
    RunBuffer buffer = new RunBuffer(3, 100L * ROW_BYTES, 4L * ROW_BYTES);
    buffer.add(0, row(1, "k1"), this::collect);
    buffer.add(2, row(9, "k9"), this::collect);
    buffer.add(2, row(8, "k8"), this::collect);
    buffer.add(1, row(5, "k5"), this::collect);
    assertThat(emitted).containsExactly("2:k8,k9");
    buffer.drain(this::collect);
    assertThat(emitted).containsExactly("2:k8,k9", "0:k1", "1:k5");
  }

  @Test
  void rowsWithTheSameTokenAreOrderedByKeyBytes() {
    RunBuffer buffer = new RunBuffer(1, 100L * ROW_BYTES, 100L * ROW_BYTES);
    buffer.add(0, row(7, "kb"), this::collect);
    buffer.add(0, row(7, "ka"), this::collect);
    buffer.add(0, row(-7, "kz"), this::collect);
    buffer.drain(this::collect);
    assertThat(emitted).containsExactly("0:kz,ka,kb");
  }

  @Test
  void drainEmptiesTheBuffer() {
    RunBuffer buffer = new RunBuffer(2, 100L * ROW_BYTES, 100L * ROW_BYTES);
    buffer.add(1, row(1, "k1"), this::collect);
    buffer.drain(this::collect);
    buffer.drain(this::collect);
    buffer.add(1, row(2, "k2"), this::collect);
    buffer.drain(this::collect);
    assertThat(emitted).containsExactly("1:k1", "1:k2");
  }

  @Test
  void refusesNonPositiveSizes() {
    assertThatThrownBy(() -> new RunBuffer(0, 1, 1)).hasMessageContaining("got 0, 1, 1");
  }
}
