package io.nostos.pipelines.spec;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated job spec (format v1): what the dataset is, where its rows come from, its key, how
 * rows become documents or columns, and how it is loaded. See the README's spec reference.
 *
 * @param file where the spec was read from (for messages; may be null)
 * @param columns for {@code layout: columns}, column name to CQL type, in order; empty otherwise
 */
public record Spec(
    Path file,
    String dataset,
    String description,
    Source source,
    List<KeyColumn> key,
    Layout layout,
    Map<String, String> columns,
    List<Generator> generators,
    int retainVersions,
    Load load)
    implements Serializable {

  /** Table layouts. */
  public enum Layout {
    /** {@code PRIMARY KEY ((key...), field)} with a JSON {@code value}: read only the fields you need. */
    DOCUMENT,
    /** Typed columns declared in the spec, one row per key. */
    COLUMNS
  }

  /** A key column and its CQL type (default {@code text}). */
  public record KeyColumn(String name, String cqlType) implements Serializable {}

  /** Where rows come from. */
  public sealed interface Source extends Serializable permits JdbcSource, FilesSource {}

  /**
   * A SQL query over JDBC. {@code user} and {@code password} hold the resolved values; they are
   * never printed ({@link #toString()} hides them).
   */
  public record JdbcSource(String driver, String url, String user, String password, String query, int fetchSize)
      implements Source {
    @Override
    public String toString() {
      return "JdbcSource{driver=" + driver + ", url=" + url + ", user=" + (user == null ? "-" : "****")
          + ", password=" + (password == null ? "-" : "****") + ", fetchSize=" + fetchSize + "}";
    }
  }

  /** Local files matched by a glob. */
  public record FilesSource(String path, Format format, boolean header, char delimiter, char quote,
      String nullMarker, List<String> columnNames) implements Source {}

  /** File formats. */
  public enum Format { CSV, JSONL }

  /** One generator: its registered type and configuration (YAML values). */
  public record Generator(String type, Map<String, Object> config, int line) implements Serializable {}

  /**
   * Load options.
   *
   * @param ranges token ranges to write, 0 = chosen from the ring and the machine
   * @param throttleMibPerSec streaming limit, 0 = unthrottled
   * @param verifySample rows read back field by field before promotion
   */
  public record Load(String keyspace, int ranges, int throttleMibPerSec, int verifySample, int sortBufferMib)
      implements Serializable {}

  /** Names of the key columns. */
  public List<String> keyNames() {
    return key.stream().map(KeyColumn::name).toList();
  }
}
