package io.nostos.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds and parses versioned table names ({@code <dataset>_v<N>}). This is the only place that
 * knows the naming scheme.
 *
 * <p>Dataset names are safe CQL identifiers: lower case letter first, then lower case letters,
 * digits and underscores, at most {@value #MAX_DATASET_LENGTH} characters, so that the versioned
 * name stays within Cassandra's 48-character table name limit.
 */
public final class VersionName {
  /** Longest dataset name: 48 (Cassandra's limit) minus room for {@code _v} and 7 digits. */
  public static final int MAX_DATASET_LENGTH = 39;

  private static final Pattern DATASET = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern VERSIONED = Pattern.compile("([a-z][a-z0-9_]*)_v([1-9][0-9]{0,6})");

  private VersionName() {}

  /** Returns {@code null} if {@code dataset} is a valid dataset name, else what is wrong with it. */
  public static String datasetProblem(String dataset) {
    if (dataset == null || dataset.isEmpty()) {
      return "dataset name is empty";
    }
    if (dataset.length() > MAX_DATASET_LENGTH) {
      return "dataset name '" + dataset + "' is " + dataset.length()
          + " characters long; the limit is " + MAX_DATASET_LENGTH;
    }
    if (!DATASET.matcher(dataset).matches()) {
      return "dataset name '" + dataset
          + "' must start with a lower case letter and contain only a-z, 0-9 and _";
    }
    return null;
  }

  /** Checks a dataset name, throwing {@link IllegalArgumentException} that says what is wrong. */
  public static String checkDataset(String dataset) {
    String problem = datasetProblem(dataset);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return dataset;
  }

  /** The table name of version {@code version} of {@code dataset}, e.g. {@code user_profile_v7}. */
  public static String of(String dataset, int version) {
    checkDataset(dataset);
    if (version < 1 || version > 9_999_999) {
      throw new IllegalArgumentException("version must be between 1 and 9999999, got " + version);
    }
    return dataset + "_v" + version;
  }

  /** A parsed versioned table name. */
  public record Parsed(String dataset, int version) {}

  /** Parses {@code user_profile_v7}; the error quotes the name that does not parse. */
  public static Parsed parse(String tableName) {
    Matcher m = tableName == null ? null : VERSIONED.matcher(tableName);
    if (m == null || !m.matches() || m.group(1).length() > MAX_DATASET_LENGTH) {
      throw new IllegalArgumentException(
          "'" + tableName + "' is not a versioned table name (expected <dataset>_v<N>, e.g. user_profile_v3)");
    }
    return new Parsed(m.group(1), Integer.parseInt(m.group(2)));
  }
}
