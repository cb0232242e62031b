package io.nostos.sstable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.cassandra.db.marshal.AbstractType;
import org.apache.cassandra.db.marshal.ByteBufferAccessor;
import org.apache.cassandra.db.marshal.CompositeType;
import org.apache.cassandra.dht.Murmur3Partitioner;
import org.apache.cassandra.schema.CQLTypeParser;
import org.apache.cassandra.schema.Types;

/**
 * Serializes a row's values with Cassandra's own types and computes its Murmur3 token, producing
 * an {@link EncodedRow}. Not thread safe; cheap to create.
 */
final class RowEncoder {
  private final TableSchema schema;
  private final List<AbstractType<Object>> types = new ArrayList<>();
  /** Each column's CQL type, normalised once for {@link CqlValues#coerceNormalised}. */
  private final List<String> cqlTypes = new ArrayList<>();
  private final int pkCount;
  private final int ckCount;

  @SuppressWarnings("unchecked")
  RowEncoder(TableSchema schema) {
    CassandraClientMode.ensure();
    this.schema = schema;
    for (TableSchema.Column c : schema.columns()) {
      types.add((AbstractType<Object>) CQLTypeParser.parse(schema.keyspace(), c.cqlType(), Types.none()));
      cqlTypes.add(CqlValues.normaliseType(c.cqlType()));
    }
    this.pkCount = schema.partitionKey().size();
    this.ckCount = schema.clustering().size();
  }

  /** Encodes one row given its values in bind order. */
  byte[] encode(List<?> values) {
    if (values.size() != types.size()) {
      throw new IllegalArgumentException("expected " + types.size() + " values for " + schema.qualifiedName()
          + " but got " + values.size());
    }
    List<ByteBuffer> serialized = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      TableSchema.Column col = schema.columns().get(i);
      Object v = CqlValues.coerceNormalised(cqlTypes.get(i), values.get(i));
      if (v == null && col.kind() != TableSchema.Kind.REGULAR) {
        throw new IllegalArgumentException("primary key column " + col.name() + " is null");
      }
      serialized.add(v == null ? null : types.get(i).decompose(v));
    }
    ByteBuffer pk = pkCount == 1
        ? serialized.get(0)
        : CompositeType.build(ByteBufferAccessor.instance, serialized.subList(0, pkCount).toArray(new ByteBuffer[0]));
    // One clustering column: its raw bytes, so byte order is the column's order for text.
    ByteBuffer ck = ckCount == 0
        ? ByteBuffer.allocate(0)
        : ckCount == 1
        ? serialized.get(pkCount)
        : CompositeType.build(ByteBufferAccessor.instance,
            serialized.subList(pkCount, pkCount + ckCount).toArray(new ByteBuffer[0]));
    checkKeySizes(pk, serialized);
    long token = Murmur3Partitioner.instance.getToken(pk).token;
    return EncodedRow.encode(token, pk, ck, serialized);
  }

  /** The largest partition key or clustering value Cassandra takes (an unsigned short length). */
  static final int MAX_KEY_BYTES = 0xFFFF;

  /** What Cassandra refuses in an {@code INSERT}'s key, refused here with the column named. */
  private void checkKeySizes(ByteBuffer pk, List<ByteBuffer> serialized) {
    if (pk.remaining() == 0) {
      throw new IllegalArgumentException("the partition key (" + schema.columns().get(0).name()
          + ") is empty; Cassandra does not store a row under an empty partition key");
    }
    if (pk.remaining() > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("the partition key is " + pk.remaining() + " bytes; Cassandra keys are at most "
          + MAX_KEY_BYTES + " bytes");
    }
    for (int i = pkCount; i < pkCount + ckCount; i++) {
      if (serialized.get(i).remaining() > MAX_KEY_BYTES) {
        throw new IllegalArgumentException("clustering column " + schema.columns().get(i).name() + " is "
            + serialized.get(i).remaining() + " bytes; Cassandra keys are at most " + MAX_KEY_BYTES + " bytes");
      }
    }
  }

  /** A readable form of a row's primary key, for error messages. */
  String describeKey(byte[] row) {
    List<ByteBuffer> values = EncodedRow.values(row);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pkCount + ckCount; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(schema.columns().get(i).name()).append('=').append(types.get(i).getString(values.get(i)));
    }
    return sb.toString();
  }
}
