package io.nostos.sstable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The sink's wire format for one row, as a {@code byte[]}: everything needed to sort, write and
 * verify it without decoding it again.
 *
 * <pre>
 *   token:int64 | pkLen:int32 | partition key bytes | ckLen:int32 | clustering bytes
 *   | n:int32 | n × (len:int32, -1 for null | value bytes)
 * </pre>
 *
 * {@link #ORDER} sorts rows the way Cassandra orders partitions (token, then key bytes unsigned),
 * then by clustering bytes, which is what {@code CQLSSTableWriter.sorted()} requires.
 */
public final class EncodedRow {
  private EncodedRow() {}

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Cassandra's partition order, then clustering bytes. */
  public static final Comparator<byte[]> ORDER = EncodedRow::compare;

  static byte[] encode(long token, ByteBuffer partitionKey, ByteBuffer clustering, List<ByteBuffer> values) {
    int size = 8 + 4 + partitionKey.remaining() + 4 + clustering.remaining() + 4;
    for (ByteBuffer v : values) {
      size += 4 + (v == null ? 0 : v.remaining());
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putLong(token);
    out.putInt(partitionKey.remaining()).put(partitionKey.duplicate());
    out.putInt(clustering.remaining()).put(clustering.duplicate());
    out.putInt(values.size());
    for (ByteBuffer v : values) {
      if (v == null) {
        out.putInt(-1);
      } else {
        out.putInt(v.remaining()).put(v.duplicate());
      }
    }
    return out.array();
  }

  public static long token(byte[] row) {
    return longAt(row, 0);
  }

  /** The serialized partition key (what Cassandra hashes). */
  public static ByteBuffer partitionKey(byte[] row) {
    return ByteBuffer.wrap(row, 12, intAt(row, 8)).slice();
  }

  /** Column values in bind order; {@code null} for null values. */
  public static List<ByteBuffer> values(byte[] row) {
    int ckPos = 12 + intAt(row, 8);
    int pos = ckPos + 4 + intAt(row, ckPos);
    int n = intAt(row, pos);
    pos += 4;
    List<ByteBuffer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = intAt(row, pos);
      pos += 4;
      if (len < 0) {
        out.add(null);
      } else {
        out.add(ByteBuffer.wrap(row, pos, len).slice());
        pos += len;
      }
    }
    return out;
  }

  /** Whether two rows have the same partition key and clustering (a duplicate primary key). */
  public static boolean samePrimaryKey(byte[] a, byte[] b) {
    int endA = keyEnd(a);
    int endB = keyEnd(b);
    return Arrays.equals(a, 0, endA, b, 0, endB);
  }

  /** Whether two rows belong to the same partition. */
  public static boolean samePartition(byte[] a, byte[] b) {
    int endA = 12 + intAt(a, 8);
    int endB = 12 + intAt(b, 8);
    return Arrays.equals(a, 0, endA, b, 0, endB);
  }

  private static int keyEnd(byte[] row) {
    int ckPos = 12 + intAt(row, 8);
    return ckPos + 4 + intAt(row, ckPos);
  }

  static int compare(byte[] a, byte[] b) {
    int c = Long.compare(longAt(a, 0), longAt(b, 0));
    if (c != 0) {
      return c;
    }
    int pkA = intAt(a, 8);
    int pkB = intAt(b, 8);
    c = Arrays.compareUnsigned(a, 12, 12 + pkA, b, 12, 12 + pkB);
    if (c != 0) {
      return c;
    }
    int ckPosA = 12 + pkA;
    int ckPosB = 12 + pkB;
    int ckA = intAt(a, ckPosA);
    int ckB = intAt(b, ckPosB);
    return Arrays.compareUnsigned(a, ckPosA + 4, ckPosA + 4 + ckA, b, ckPosB + 4, ckPosB + 4 + ckB);
  }

  /** The big-endian int at {@code offset}. */
  static int intAt(byte[] bytes, int offset) {
    return (int) INT.get(bytes, offset);
  }

  private static long longAt(byte[] bytes, int offset) {
    return (long) LONG.get(bytes, offset);
  }
}
