package io.nostos.sstable;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CQL table a sink writes: keyspace, table and columns in bind order (partition key columns
 * first, then clustering columns, then regular columns). Builds the {@code CREATE TABLE} and
 * {@code INSERT} statements, so the table created on the cluster and the SSTables written offline
 * always agree.
 *
 * <p>Tables are created with compaction disabled: each version is written once, each key lives in
 * exactly one SSTable, and nothing rewrites the data afterwards.
 */
public record TableSchema(String keyspace, String table, List<Column> columns) implements Serializable {

  /** The role of a column in the primary key. */
  public enum Kind { PARTITION_KEY, CLUSTERING, REGULAR }

  /** One column: name, CQL type (e.g. {@code text}, {@code bigint}, {@code list<text>}) and role. */
  public record Column(String name, String cqlType, Kind kind) implements Serializable {}

  public TableSchema {
    columns = List.copyOf(columns);
    if (columns.stream().noneMatch(c -> c.kind() == Kind.PARTITION_KEY)) {
      throw new IllegalArgumentException("table " + keyspace + "." + table + " needs at least one partition key column");
    }
    Kind previous = Kind.PARTITION_KEY;
    for (Column c : columns) {
      if (c.kind().ordinal() < previous.ordinal()) {
        throw new IllegalArgumentException("columns must be ordered: partition key, clustering, regular; "
            + c.name() + " is out of place");
      }
      previous = c.kind();
    }
  }

  public List<Column> partitionKey() {
    return columns.stream().filter(c -> c.kind() == Kind.PARTITION_KEY).collect(Collectors.toList());
  }

  public List<Column> clustering() {
    return columns.stream().filter(c -> c.kind() == Kind.CLUSTERING).collect(Collectors.toList());
  }

  public String qualifiedName() {
    return keyspace + "." + table;
  }

  /** {@code CREATE TABLE IF NOT EXISTS} with compaction disabled. */
  public String createTableCql() {
    StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualifiedName()).append(" (");
    for (Column c : columns) {
      sb.append(quote(c.name())).append(' ').append(c.cqlType()).append(", ");
    }
    sb.append("PRIMARY KEY ((")
        .append(partitionKey().stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")))
        .append(')');
    for (Column c : clustering()) {
      sb.append(", ").append(quote(c.name()));
    }
    sb.append(")) WITH compaction = {'class': 'SizeTieredCompactionStrategy', 'enabled': 'false'}")
        .append(" AND bloom_filter_fp_chance = ").append(BloomFilters.FP_CHANCE);
    return sb.toString();
  }

  /** {@code INSERT} binding every column in order. */
  public String insertCql() {
    return "INSERT INTO " + qualifiedName() + " ("
        + columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "))
        + ") VALUES (" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
  }

  /** Double-quotes a column name so any spelling is safe. */
  public static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
