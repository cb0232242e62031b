package io.nostos.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of a dataset as recorded in the catalog.
 *
 * @param owner {@code host:pid} of the process that builds the version (used to tell an abandoned
 *     build from a running one)
 * @param columns for the {@code columns} layout, column name to CQL type; for the {@code document}
 *     layout, the field names seen at load time mapped to {@code "json"}
 */
public record DatasetVersion(
    String dataset,
    int version,
    VersionState state,
    String keyspace,
    String table,
    String layout,
    List<String> keyColumns,
    Map<String, String> columns,
    long rows,
    long bytes,
    Instant createdAt,
    Instant loadedAt,
    Instant promotedAt,
    Instant heartbeatAt,
    String owner,
    String message) {

  /** Same version with another state. */
  public DatasetVersion withState(VersionState newState) {
    return new DatasetVersion(dataset, version, newState, keyspace, table, layout, keyColumns, columns,
        rows, bytes, createdAt, loadedAt, promotedAt, heartbeatAt, owner, message);
  }
}
