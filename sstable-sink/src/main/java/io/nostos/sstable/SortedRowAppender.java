package io.nostos.sstable;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.cassandra.db.BufferDecoratedKey;
import org.apache.cassandra.db.Clustering;
import org.apache.cassandra.db.DecoratedKey;
import org.apache.cassandra.db.LivenessInfo;
import org.apache.cassandra.db.partitions.PartitionUpdate;
import org.apache.cassandra.db.rows.BTreeRow;
import org.apache.cassandra.db.rows.BufferCell;
import org.apache.cassandra.db.rows.Row;
import org.apache.cassandra.dht.Murmur3Partitioner;
import org.apache.cassandra.io.sstable.CQLSSTableWriter;
import org.apache.cassandra.schema.ColumnMetadata;
import org.apache.cassandra.schema.TableMetadata;
import org.apache.cassandra.schema.TableMetadataRef;

/**
 * Appends {@link EncodedRow}s, in {@link EncodedRow#ORDER}, to one SSTable of a sorted
 * {@code CQLSSTableWriter}, building each row as that writer's {@code INSERT} of every column
 * builds it (a primary-key liveness and one live cell per non-null value, all at one write
 * timestamp) and handing it straight to the writer's partition builder.
 *
 * <p>Why not {@code rawAddRow}: the CQL statement layer binds every value again, re-validates it
 * (the UTF-8 of text we encoded ourselves), rebuilds the partition key's restrictions and hashes
 * the key although the row carries its token: about half of the writer's time per row.
 * {@code SortedRowAppenderTest} proves both paths write byte-identical data files. Tables with a
 * non-frozen collection (several cells per value) still go through {@code rawAddRow}.
 *
 * <p>Reaches two non-public members of cassandra-all's writer (the {@code CQLSSTableWriter}'s
 * simple writer, and its {@code getUpdateFor(DecoratedKey)}); a cassandra-all without them fails
 * here when the class loads, naming them. Not thread safe: one appender per range.
 */
final class SortedRowAppender implements Closeable {
  private static final String SIMPLE_WRITER = "org.apache.cassandra.io.sstable.AbstractSSTableSimpleWriter";
  private static final MethodHandle WRITER_OF;
  private static final MethodHandle METADATA_OF;
  private static final MethodHandle UPDATE_FOR;

  static {
    try {
      Class<?> simple = Class.forName(SIMPLE_WRITER, false, CQLSSTableWriter.class.getClassLoader());
      MethodHandles.Lookup cql = MethodHandles.privateLookupIn(CQLSSTableWriter.class, MethodHandles.lookup());
      MethodHandles.Lookup inSimple = MethodHandles.privateLookupIn(simple, MethodHandles.lookup());
      WRITER_OF = cql.findGetter(CQLSSTableWriter.class, "writer", simple)
          .asType(MethodType.methodType(Object.class, CQLSSTableWriter.class));
      METADATA_OF = inSimple.findGetter(simple, "metadata", TableMetadataRef.class)
          .asType(MethodType.methodType(TableMetadataRef.class, Object.class));
      UPDATE_FOR = inSimple.findVirtual(simple, "getUpdateFor",
              MethodType.methodType(PartitionUpdate.Builder.class, DecoratedKey.class))
          .asType(MethodType.methodType(PartitionUpdate.Builder.class, Object.class, DecoratedKey.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(new IllegalStateException("this cassandra-all has no "
          + SIMPLE_WRITER + ".getUpdateFor(DecoratedKey) or CQLSSTableWriter.writer; the sink is built for 5.0", e));
    }
  }

  private final CQLSSTableWriter writer;
  /** The writer's simple writer, when rows are built here; null when they go through {@code rawAddRow}. */
  private final Object simpleWriter;
  private final int partitionKeyColumns;
  private final int clusteringColumns;
  /** The regular columns in the table's cell order, and where each one's value is in bind order. */
  private final ColumnMetadata[] regular;
  private final int[] regularValueIndex;
  private final long timestamp;
  private final LivenessInfo liveness;

  /** An appender writing at the current time, as an {@code INSERT} without {@code USING TIMESTAMP} would. */
  static SortedRowAppender open(TableSchema schema, Path dir) {
    return open(schema, dir, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
  }

  /** An appender whose rows all carry the write time {@code timestampMicros}. */
  static SortedRowAppender open(TableSchema schema, Path dir, long timestampMicros) {
    CQLSSTableWriter writer = CQLSSTableWriter.builder()
        .inDirectory(dir.toString())
        .forTable(schema.createTableCql())
        .using(schema.insertCql() + " USING TIMESTAMP " + timestampMicros)
        .sorted()
        .build();
    return new SortedRowAppender(schema, writer, timestampMicros);
  }

  private SortedRowAppender(TableSchema schema, CQLSSTableWriter writer, long timestamp) {
    this.writer = writer;
    this.partitionKeyColumns = schema.partitionKey().size();
    this.clusteringColumns = schema.clustering().size();
    this.timestamp = timestamp;
    this.liveness = LivenessInfo.create(timestamp, LivenessInfo.NO_TTL, 0);
    Object simple;
    TableMetadata metadata;
    try {
      simple = (Object) WRITER_OF.invokeExact(writer);
      metadata = ((TableMetadataRef) METADATA_OF.invokeExact(simple)).get();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot reach the SSTable writer inside CQLSSTableWriter", e);
    }
    List<ColumnMetadata> cells = new ArrayList<>();
    metadata.regularColumns().forEach(cells::add);
    regular = cells.toArray(new ColumnMetadata[0]);
    regularValueIndex = new int[regular.length];
    boolean simpleCellsOnly = metadata.partitioner instanceof Murmur3Partitioner
        && metadata.staticColumns().isEmpty() && metadata.params.defaultTimeToLive == 0;
    for (int k = 0; k < regular.length; k++) {
      regularValueIndex[k] = bindIndex(schema, regular[k].name.toString());
      simpleCellsOnly &= !regular[k].type.isMultiCell();
    }
    this.simpleWriter = simpleCellsOnly ? simple : null;
  }

  private static int bindIndex(TableSchema schema, String column) {
    for (int i = 0; i < schema.columns().size(); i++) {
      if (schema.columns().get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalStateException("column " + column + " of the writer's table is not in " + schema.qualifiedName());
  }

  /** Whether rows are built here; false when they go through {@code rawAddRow}. */
  boolean buildsRows() {
    return simpleWriter != null;
  }

  /** Adds one row; rows must come in {@link EncodedRow#ORDER}, each primary key once. */
  void append(byte[] row) throws IOException {
    List<ByteBuffer> values = EncodedRow.values(row);
    if (simpleWriter == null) {
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null) {
          values.set(i, CQLSSTableWriter.UNSET_VALUE);  // no cell, no tombstone
        }
      }
      writer.rawAddRow(values);
      return;
    }
    DecoratedKey key = new BufferDecoratedKey(new Murmur3Partitioner.LongToken(EncodedRow.token(row)),
        EncodedRow.partitionKey(row));
    Row.Builder cells = BTreeRow.sortedBuilder();
    cells.newRow(clustering(values));
    cells.addPrimaryKeyLivenessInfo(liveness);
    for (int k = 0; k < regular.length; k++) {
      ByteBuffer value = values.get(regularValueIndex[k]);
      if (value != null) {
        cells.addCell(BufferCell.live(regular[k], timestamp, value));
      }
    }
    Row built = cells.build();
    PartitionUpdate.Builder partition;
    try {
      partition = (PartitionUpdate.Builder) UPDATE_FOR.invokeExact(simpleWriter, key);  // writes the previous partition
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    partition.add(built);
  }

  private Clustering<ByteBuffer> clustering(List<ByteBuffer> values) {
    if (clusteringColumns == 0) {
      return Clustering.EMPTY;
    }
    ByteBuffer[] parts = new ByteBuffer[clusteringColumns];
    for (int i = 0; i < clusteringColumns; i++) {
      parts[i] = values.get(partitionKeyColumns + i);
    }
    return Clustering.make(parts);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
