package io.nostos.sstable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.KV;

/**
 * Counts by name of what one encoding bundle rejected (see {@link SSTableIO.RejectGate}), packed
 * so it can travel in the shuffle by range next to the sorted runs. A packed tally starts with
 * the int32 {@value #MARKER}; a {@link SortedRun} starts with a row's length, which is never
 * negative, so the two cannot be mistaken for each other.
 */
final class RejectTally {
  static final int MARKER = -1;

  private RejectTally() {}

  static byte[] pack(Map<String, Long> counts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 16 * counts.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MARKER);
      out.writeInt(counts.size());
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);  // writing to memory does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Hands a bundle's tally, packed, once per range key (each range's writer decides on the total,
   * so every range needs every bundle's tally); nothing when the bundle rejected nothing.
   */
  static void toEveryRange(Map<String, Long> tally, List<Integer> rangeKeys, Consumer<KV<Integer, byte[]>> out) {
    if (tally.isEmpty()) {
      return;
    }
    byte[] packed = pack(tally);
    for (Integer key : rangeKeys) {
      out.accept(KV.of(key, packed));
    }
  }

  static boolean isTally(byte[] packed) {
    return packed.length >= 4 && EncodedRow.intAt(packed, 0) == MARKER;
  }

  /** Adds the counts of a packed tally to {@code total}. */
  static void addTo(Map<String, Long> total, byte[] packed) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed))) {
      if (in.readInt() != MARKER) {
        throw new IllegalArgumentException("not a packed tally");
      }
      for (int i = in.readInt(); i > 0; i--) {
        total.merge(in.readUTF(), in.readLong(), Long::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a packed tally is cut short", e);
    }
  }

  /** An empty total, ordered by name (so what a gate sees does not depend on arrival order). */
  static Map<String, Long> newTotal() {
    return new TreeMap<>();
  }
}
