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
import org.apache.cassandra.db.DeletionTime;
import org.apache.cassandra.db.rows.AbstractUnfilteredRowIterator;
import org.apache.cassandra.db.rows.BTreeRow;
import org.apache.cassandra.db.rows.BufferCell;
import org.apache.cassandra.db.rows.EncodingStats;
import org.apache.cassandra.db.rows.Row;
import org.apache.cassandra.db.rows.Rows;
import org.apache.cassandra.db.rows.Unfiltered;
import org.apache.cassandra.dht.Murmur3Partitioner;
import org.apache.cassandra.io.sstable.CQLSSTableWriter;
import org.apache.cassandra.io.sstable.SSTableTxnWriter;
import org.apache.cassandra.schema.ColumnMetadata;
import org.apache.cassandra.schema.TableMetadata;
import org.apache.cassandra.schema.TableMetadataRef;

/**
 * Appends {@link EncodedRow}s, in {@link EncodedRow#ORDER}, to one SSTable of a sorted
 * {@code CQLSSTableWriter}: builds each row as that writer's {@code INSERT} of every column builds
 * it (a primary-key liveness and one live cell per non-null value, all at one write timestamp),
 * collects a partition's rows, and hands the partition straight to the writer's SSTable writer.
 *
 * <p>Why not {@code rawAddRow}: per row, the CQL statement layer binds every value again,
 * re-validates it (the UTF-8 of text we encoded ourselves) and hashes the key although the row
 * carries its token; then the partition goes through a {@code PartitionUpdate} and the filtering
 * iterators over it. Together about two thirds of the writer's time per row.
 * {@code SortedRowAppenderTest} proves both paths write byte-identical data, index and summary
 * files. Tables with a non-frozen collection (several cells per value) still go through
 * {@code rawAddRow}.
 *
 * <p>Reaches three non-public members of cassandra-all 5.0's writer (the {@code CQLSSTableWriter}'s
 * simple writer, its table metadata, and its {@code getOrCreateWriter()}); a cassandra-all
 * without them fails when this class loads, naming them. Not thread safe: one appender per range.
 */
final class SortedRowAppender implements Closeable {
  private static final String SIMPLE_WRITER = "org.apache.cassandra.io.sstable.AbstractSSTableSimpleWriter";
  private static final String SORTED_WRITER = "org.apache.cassandra.io.sstable.SSTableSimpleWriter";
  private static final MethodHandle WRITER_OF;
  private static final MethodHandle METADATA_OF;
  private static final MethodHandle SSTABLE_OF;

  static {
    try {
      Class<?> simple = Class.forName(SIMPLE_WRITER, false, CQLSSTableWriter.class.getClassLoader());
      MethodHandles.Lookup cql = MethodHandles.privateLookupIn(CQLSSTableWriter.class, MethodHandles.lookup());
      MethodHandles.Lookup inSimple = MethodHandles.privateLookupIn(simple, MethodHandles.lookup());
      WRITER_OF = cql.findGetter(CQLSSTableWriter.class, "writer", simple)
          .asType(MethodType.methodType(Object.class, CQLSSTableWriter.class));
      METADATA_OF = inSimple.findGetter(simple, "metadata", TableMetadataRef.class)
          .asType(MethodType.methodType(TableMetadataRef.class, Object.class));
      Class<?> sorted = Class.forName(SORTED_WRITER, false, CQLSSTableWriter.class.getClassLoader());
      SSTABLE_OF = MethodHandles.privateLookupIn(sorted, MethodHandles.lookup())
          .findVirtual(sorted, "getOrCreateWriter", MethodType.methodType(SSTableTxnWriter.class))
          .asType(MethodType.methodType(SSTableTxnWriter.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(new IllegalStateException("this cassandra-all has no CQLSSTableWriter.writer, "
          + SIMPLE_WRITER + ".metadata or " + SORTED_WRITER + ".getOrCreateWriter(); the sink is built for 5.0", e));
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
  private final TableMetadata metadata;
  /** The partition being collected: its key and rows (one, unless the table has clustering columns). */
  private DecoratedKey partitionKey;
  private final List<Row> partitionRows = new ArrayList<>();

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
    this.simpleWriter = simpleCellsOnly && SORTED_WRITER.equals(simple.getClass().getName()) ? simple : null;
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
    if (partitionKey != null && !partitionKey.equals(key)) {
      writePartition();
    }
    partitionKey = key;
    partitionRows.add(cells.build());
  }

  /**
   * Hands the collected partition to the SSTable writer, as the simple writer would hand it its
   * partition update's rows, in clustering order (the rows came in the order of their bytes).
   */
  private void writePartition() throws IOException {
    if (partitionRows.size() > 1) {
      partitionRows.sort(metadata.comparator);
    }
    SSTableTxnWriter sstable;
    try {
      sstable = (SSTableTxnWriter) SSTABLE_OF.invokeExact(simpleWriter);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    sstable.append(new PartitionRows(metadata, partitionKey, partitionRows));
    partitionKey = null;
    partitionRows.clear();
  }

  /** One partition's live rows: no partition deletion, no static row. */
  private static final class PartitionRows extends AbstractUnfilteredRowIterator {
    private final List<Row> rows;
    private int next;

    PartitionRows(TableMetadata metadata, DecoratedKey key, List<Row> rows) {
      super(metadata, key, DeletionTime.LIVE, metadata.regularAndStaticColumns(), Rows.EMPTY_STATIC_ROW, false,
          EncodingStats.NO_STATS);
      this.rows = rows;
    }

    @Override
    protected Unfiltered computeNext() {
      return next < rows.size() ? rows.get(next++) : endOfData();
    }
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

  /** Writes what is left and completes the SSTable. */
  @Override
  public void close() throws IOException {
    try {
      if (partitionKey != null) {
        writePartition();
      }
    } finally {
      writer.close();
    }
  }
}
