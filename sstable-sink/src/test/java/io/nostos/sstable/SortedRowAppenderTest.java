package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.cassandra.io.sstable.CQLSSTableWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appender must write exactly what {@code CQLSSTableWriter.rawAddRow} writes for the same
 * rows at the same write time: the data, index and summary files are compared byte for byte.
 */
class SortedRowAppenderTest {
  private static final long WRITE_TIME = 1_790_000_000_000_000L;
  private static final List<String> COMPARED = List.of("Data.db", "Index.db", "Summary.db");

  @TempDir Path tmp;

  @Test
  void writesTheSameFilesAsTheCqlInsertPath() throws IOException {
    // Composite partition key, two clustering columns, regular columns declared out of name order
    // (Cassandra orders cells by name), a frozen collection, nulls, several rows per partition.
    TableSchema schema = new TableSchema("ks_appender", "wide_v1", List.of(
        new TableSchema.Column("tenant", "text", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("day", "int", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("seq", "bigint", TableSchema.Kind.CLUSTERING),
        new TableSchema.Column("tag", "text", TableSchema.Kind.CLUSTERING),
        new TableSchema.Column("zeta", "text", TableSchema.Kind.REGULAR),
        new TableSchema.Column("alpha", "double", TableSchema.Kind.REGULAR),
        new TableSchema.Column("labels", "frozen<list<text>>", TableSchema.Kind.REGULAR),
        new TableSchema.Column("doc", "text", TableSchema.Kind.REGULAR)));
    List<List<?>> rows = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      for (int s = 0; s < 1 + t % 4; s++) {
        // Negative clustering values: their bytes sort after the positive ones', their values before.
        rows.add(Arrays.asList("tenant-" + t, t % 3, (long) (s - 2) * 7, "tag-" + s,
            t % 5 == 0 ? null : "zeta é " + t, s * 0.5, t % 2 == 0 ? List.of("a", "b" + s) : null,
            "{\"t\":" + t + ",\"s\":" + s + "}"));
      }
    }
    assertSameFiles(schema, rows);
  }

  @Test
  void tablesWithNonFrozenCollectionsGoThroughTheCqlPath() throws IOException {
    // Their files cannot be compared: the CQL path stamps each collection's tombstone with the
    // second it runs in.
    TableSchema sets = new TableSchema("ks_appender", "sets_v1", List.of(
        new TableSchema.Column("id", "bigint", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("names", "set<text>", TableSchema.Kind.REGULAR)));
    TableSchema frozen = new TableSchema("ks_appender", "frozen_sets_v1", List.of(
        new TableSchema.Column("id", "bigint", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("names", "frozen<set<text>>", TableSchema.Kind.REGULAR)));
    try (SortedRowAppender appender = SortedRowAppender.open(sets, Files.createDirectories(tmp.resolve("sets")))) {
      assertThat(appender.buildsRows()).isFalse();
      appender.append(new RowEncoder(sets).encode(Arrays.asList(1L, Set.of("a", "b"))));
    }
    try (SortedRowAppender appender = SortedRowAppender.open(frozen, Files.createDirectories(tmp.resolve("frozen")))) {
      assertThat(appender.buildsRows()).isTrue();
    }
  }

  @Test
  void refusesKeysCassandraWouldRefuse() {
    TableSchema schema = new TableSchema("ks_appender", "keys_v1", List.of(
        new TableSchema.Column("id", "text", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("c", "text", TableSchema.Kind.CLUSTERING),
        new TableSchema.Column("v", "int", TableSchema.Kind.REGULAR)));
    RowEncoder encoder = new RowEncoder(schema);
    String huge = "x".repeat(RowEncoder.MAX_KEY_BYTES + 1);
    assertThatThrownBy(() -> encoder.encode(Arrays.asList("", "c", 1)))
        .hasMessage("the partition key (id) is empty; Cassandra does not store a row under an empty partition key");
    assertThatThrownBy(() -> encoder.encode(Arrays.asList(huge, "c", 1)))
        .hasMessage("the partition key is 65536 bytes; Cassandra keys are at most 65535 bytes");
    assertThatThrownBy(() -> encoder.encode(Arrays.asList("k", huge, 1)))
        .hasMessage("clustering column c is 65536 bytes; Cassandra keys are at most 65535 bytes");
    assertThat(EncodedRow.values(encoder.encode(Arrays.asList("k", "", 1))).get(1).remaining()).isZero();
  }

  private void assertSameFiles(TableSchema schema, List<List<?>> rows) throws IOException {
    RowEncoder encoder = new RowEncoder(schema);
    List<byte[]> encoded = new ArrayList<>(rows.stream().map(encoder::encode).toList());
    encoded.sort(EncodedRow.ORDER);

    Path viaCql = Files.createDirectories(tmp.resolve("cql").resolve(schema.keyspace()).resolve(schema.table()));
    try (CQLSSTableWriter writer = CQLSSTableWriter.builder().inDirectory(viaCql.toString())
        .forTable(schema.createTableCql()).using(schema.insertCql() + " USING TIMESTAMP " + WRITE_TIME)
        .sorted().build()) {
      for (byte[] row : encoded) {
        List<ByteBuffer> values = EncodedRow.values(row);
        values.replaceAll(v -> v == null ? CQLSSTableWriter.UNSET_VALUE : v);
        writer.rawAddRow(values);
      }
    }
    Path viaAppender = Files.createDirectories(tmp.resolve("direct").resolve(schema.keyspace()).resolve(schema.table()));
    try (SortedRowAppender appender = SortedRowAppender.open(schema, viaAppender, WRITE_TIME)) {
      for (byte[] row : encoded) {
        appender.append(row);
      }
    }

    for (String component : COMPARED) {
      byte[] expected = Files.readAllBytes(only(viaCql, component));
      byte[] actual = Files.readAllBytes(only(viaAppender, component));
      assertThat(Arrays.mismatch(expected, actual))
          .as("first differing byte of %s of %s (%d and %d bytes)", component, schema.table(), expected.length,
              actual.length)
          .isEqualTo(-1);
    }
    assertThat(Files.size(only(viaAppender, "Data.db"))).isGreaterThan(rows.size() * 4L);
  }

  private static Path only(Path dir, String component) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> matching = files.filter(f -> f.getFileName().toString().endsWith("-" + component)).toList();
      assertThat(matching).as("%s files in %s", component, dir).hasSize(1);
      return matching.get(0);
    }
  }
}
