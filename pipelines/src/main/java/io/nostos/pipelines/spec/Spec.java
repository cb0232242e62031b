package io.nostos.pipelines.spec;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated job spec (format v1): what the dataset is, where its rows come from, its key, how
 * rows become documents or columns, and how it is loaded. See the README's spec reference.
 *
 * @param sources named sources, in spec order (a spec with a single {@code source:} has one, named
 *     {@link #SINGLE_SOURCE})
 * @param columns for {@code layout: columns}, column name to CQL type, in order; empty otherwise
 * @param generators in spec order, each with its inputs resolved
 * @param output the name of the source or generator whose rows become the dataset
 */
public record Spec(
    Path file,
    String dataset,
    String description,
    Map<String, Source> sources,
    List<KeyColumn> key,
    Layout layout,
    Map<String, String> columns,
    List<Generator> generators,
    String output,
    int retainVersions,
    Load load,
    BadRows badRows)
    implements Serializable {

  /** The name of the source of a spec that has {@code source:} instead of {@code sources:}. */
  public static final String SINGLE_SOURCE = "source";

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
   * A SQL query over JDBC, read in parallel when {@code partition} is set. {@code user} and
   * {@code password} hold the resolved values; they are never printed ({@link #toString()} hides
   * them).
   */
  public record JdbcSource(String driver, String url, String user, String password, String query, int fetchSize,
      Partition partition) implements Source {
    @Override
    public String toString() {
      return "JdbcSource{driver=" + driver + ", url=" + url + ", user=" + (user == null ? "-" : "****")
          + ", password=" + (password == null ? "-" : "****") + ", fetchSize=" + fetchSize
          + ", partition=" + partition + "}";
    }
  }

  /**
   * How a JDBC query is split into parallel reads: by ranges of a numeric, date or timestamp
   * {@code column} between {@code lower} and {@code upper} (both null: the query's min and max),
   * or into {@code count} buckets by {@code bucketExpression} (SQL giving a non-negative integer
   * per row, e.g. {@code abs(hashtext(user_id))}). Rows where the column or expression is null
   * are read by an extra partition, so every row is read exactly once.
   */
  public record Partition(String column, String lower, String upper, String bucketExpression, int count)
      implements Serializable {
    public boolean byBuckets() {
      return bucketExpression != null;
    }
  }

  /**
   * Files matched by {@code path} (a local glob or {@code s3://bucket/prefix*}), or listed by a
   * Redshift UNLOAD {@code manifest}; exactly one of the two is set. {@code quote} and
   * {@code escape} are {@code 0} when not used.
   */
  public record FilesSource(String path, String manifest, Format format, boolean header, char delimiter, char quote,
      char escape, String nullMarker, List<String> columnNames) implements Source {}

  /** File formats. */
  public enum Format { CSV, JSONL }

  /**
   * One generator: its name (given, or {@code <index>-<type>}), its registered type, the names of
   * the sources or generators it reads, and its configuration (YAML values).
   */
  public record Generator(String name, String type, List<String> inputs, Map<String, Object> config, int line)
      implements Serializable {}

  /**
   * Load options.
   *
   * @param ranges token ranges to write, 0 = chosen from the ring and the machine
   * @param throttleMibPerSec streaming limit, 0 = unthrottled
   * @param verifySample rows read back field by field before promotion
   * @param verify what is checked on the cluster before promotion
   */
  public record Load(String keyspace, int ranges, int throttleMibPerSec, int verifySample, int sortBufferMib,
      Verify verify) implements Serializable {}

  /** How a loaded version is checked on the cluster before it may become current. */
  public enum Verify {
    /**
     * Every range's rows are counted on the cluster (a full read of the new table) and its
     * sampled rows are read back: nothing missing, nothing extra, values equal.
     */
    COUNT,
    /**
     * Only the sampled rows of every range are read back. Each range is one SSTable, so a range
     * that did not arrive fails; a row missing inside an SSTable that did arrive is not detected.
     * The cluster reads tens of rows per range instead of the whole table.
     */
    SAMPLE
  }

  /**
   * What to do with rows that cannot be loaded.
   *
   * @param maxCount the run fails when there are more bad rows than this (with maxFraction < 0)
   * @param maxFraction the run fails when more than this fraction of the rows read are bad; -1 when
   *     the limit is a count
   * @param deadLetter where bad rows are written (local directory or {@code s3://} prefix); null
   *     = under the work directory
   * @param maxDocumentBytes a document (or columns row) larger than this as JSON is a bad row
   */
  public record BadRows(long maxCount, double maxFraction, String deadLetter, int maxDocumentBytes)
      implements Serializable {
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1 << 20;

    /** No bad row is tolerated; documents up to 1 MiB. */
    public static BadRows none() {
      return new BadRows(0, -1, null, DEFAULT_MAX_DOCUMENT_BYTES);
    }

    /** Whether {@code bad} bad rows out of {@code read} rows read are too many. */
    public boolean exceeded(long bad, long read) {
      return maxFraction >= 0 ? bad > maxFraction * read : bad > maxCount;
    }

    /** The limit as written, e.g. {@code 100} or {@code 0.5%}. */
    public String limit() {
      return maxFraction >= 0 ? java.math.BigDecimal.valueOf(maxFraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%"
          : Long.toString(maxCount);
    }
  }

  /** Names of the key columns. */
  public List<String> keyNames() {
    return key.stream().map(KeyColumn::name).toList();
  }

  /**
   * Whether a run of this spec may read or write an s3:// location: a file source or dead letter
   * there, or an UNLOAD manifest (whose entries are S3 URLs).
   */
  public boolean usesS3() {
    boolean sourceOnS3 = sources.values().stream().anyMatch(s -> s instanceof FilesSource f
        && (f.manifest() != null || isS3(f.path())));
    return sourceOnS3 || isS3(badRows.deadLetter());
  }

  private static boolean isS3(String location) {
    return location != null && location.regionMatches(true, 0, "s3://", 0, 5);
  }
}
