package io.nostos.catalog;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The catalog of dataset versions: one partition per dataset in {@code <catalog>.versions}, whose
 * static columns hold the current-version pointer and the next version number.
 *
 * <h3>Guarantees</h3>
 * <ul>
 *   <li>Version numbers are allocated with a lightweight transaction: concurrent runs never get the
 *       same number.
 *   <li>Every state change is a conditional update on the expected previous state, so two
 *       processes cannot both win a transition.
 *   <li>Promotion and rollback are one conditional batch on one partition: the pointer and both
 *       versions' states change together or not at all.
 * </ul>
 * The caller owns the session. All methods are safe to call again after a failure.
 */
public final class CatalogStore {
  private final CqlSession session;
  private final String ks;

  public CatalogStore(CqlSession session, String catalogKeyspace) {
    String problem = CassandraTarget.identifierProblem(catalogKeyspace);
    if (problem != null) {
      throw new IllegalArgumentException("catalog keyspace: " + problem);
    }
    this.session = session;
    this.ks = catalogKeyspace;
  }

  /** Creates the catalog keyspace and table if missing. Idempotent. */
  public void ensureSchema(String replication) {
    session.execute("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = " + replication);
    session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".versions ("
        + "dataset text, version int, "
        + "current_version int static, next_version int static, "
        + "state int, keyspace_name text, table_name text, layout text, "
        + "key_columns list<text>, columns map<text, text>, rows bigint, bytes bigint, "
        + "created_at timestamp, loaded_at timestamp, promoted_at timestamp, heartbeat_at timestamp, "
        + "owner text, message text, "
        + "PRIMARY KEY (dataset, version)) WITH CLUSTERING ORDER BY (version DESC)");
  }

  /** Whether the catalog table exists (false before the first run against a cluster). */
  public boolean exists() {
    return session.getMetadata().getKeyspace(ks).flatMap(k -> k.getTable("versions")).isPresent();
  }

  /** Throws a message a user understands when there is no catalog yet. */
  public CatalogStore requireExists() {
    if (!exists()) {
      throw new CatalogException("no catalog in keyspace '" + ks + "' yet: no dataset has been loaded into this "
          + "cluster (run a spec first, or check --catalog-keyspace)");
    }
    return this;
  }

  /** Allocates the next version number of {@code dataset}; never returns the same number twice. */
  public int allocateVersion(String dataset) {
    for (int attempt = 0; attempt < 100; attempt++) {
      Row row = session.execute(SimpleStatement.newInstance(
              "SELECT next_version FROM " + ks + ".versions WHERE dataset = ? LIMIT 1", dataset)
          .setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_SERIAL))
          .one();
      Integer next = row == null || row.isNull("next_version") ? null : row.getInt("next_version");
      int allocated = next == null ? 1 : next;
      ResultSet rs = next == null
          ? session.execute(SimpleStatement.newInstance(
              "UPDATE " + ks + ".versions SET next_version = ? WHERE dataset = ? IF next_version = null",
              allocated + 1, dataset))
          : session.execute(SimpleStatement.newInstance(
              "UPDATE " + ks + ".versions SET next_version = ? WHERE dataset = ? IF next_version = ?",
              allocated + 1, dataset, next));
      if (rs.wasApplied()) {
        return allocated;
      }
    }
    throw new CatalogException("could not allocate a version of '" + dataset + "' after 100 attempts (heavy contention)");
  }

  /** Records a new version in state BUILDING. */
  public void recordBuilding(String dataset, int version, String keyspace, String table, String layout,
      List<String> keyColumns, String owner) {
    Instant now = Instant.now();
    ResultSet rs = session.execute(SimpleStatement.newInstance(
        "INSERT INTO " + ks + ".versions (dataset, version, state, keyspace_name, table_name, layout, key_columns, "
            + "created_at, heartbeat_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS",
        dataset, version, VersionState.BUILDING.code(), keyspace, table, layout, keyColumns, now, now, owner));
    if (!rs.wasApplied()) {
      throw new CatalogException("version " + version + " of '" + dataset + "' is already recorded");
    }
  }

  /** Tells pruners in other processes that this build is alive. */
  public void heartbeat(String dataset, int version) {
    session.execute(SimpleStatement.newInstance(
        "UPDATE " + ks + ".versions SET heartbeat_at = ? WHERE dataset = ? AND version = ?",
        Instant.now(), dataset, version));
  }

  /** BUILDING → LOADED, recording what was loaded. */
  public void markLoaded(String dataset, int version, long rows, long bytes, Map<String, String> columns) {
    ResultSet rs = session.execute(SimpleStatement.newInstance(
        "UPDATE " + ks + ".versions SET state = ?, rows = ?, bytes = ?, columns = ?, loaded_at = ? "
            + "WHERE dataset = ? AND version = ? IF state = ?",
        VersionState.LOADED.code(), rows, bytes, columns, Instant.now(), dataset, version,
        VersionState.BUILDING.code()));
    requireApplied(rs, dataset, version, VersionState.LOADED);
  }

  /** Moves a version to FAILED with a reason. No-op if it is already failed or dropped. */
  public void markFailed(String dataset, int version, String message) {
    transition(dataset, version, VersionState.FAILED, "message", truncate(message));
  }

  /** Moves a version to DROPPED (after its table was dropped). */
  public void markDropped(String dataset, int version) {
    transition(dataset, version, VersionState.DROPPED, null, null);
  }

  private void transition(String dataset, int version, VersionState to, String extraColumn, Object extraValue) {
    for (int attempt = 0; attempt < 10; attempt++) {
      DatasetVersion v = version(dataset, version);
      if (v == null) {
        throw new CatalogException("version " + version + " of '" + dataset + "' does not exist");
      }
      if (v.state() == to) {
        return;
      }
      if (!v.state().canTransitionTo(to)) {
        throw new CatalogException("version " + version + " of '" + dataset + "' is " + v.state().label()
            + " and cannot become " + to.label());
      }
      String set = extraColumn == null ? "state = ?" : "state = ?, " + extraColumn + " = ?";
      List<Object> values = new ArrayList<>();
      values.add(to.code());
      if (extraColumn != null) {
        values.add(extraValue);
      }
      values.add(dataset);
      values.add(version);
      values.add(v.state().code());
      ResultSet rs = session.execute(SimpleStatement.newInstance(
          "UPDATE " + ks + ".versions SET " + set + " WHERE dataset = ? AND version = ? IF state = ?",
          values.toArray()));
      if (rs.wasApplied()) {
        return;
      }
    }
    throw new CatalogException("version " + version + " of '" + dataset + "' kept changing state; try again");
  }

  /**
   * Makes {@code version} current if the pointer still equals {@code expectedCurrent} and the
   * version is in one of {@code allowedFrom}; the previous current version becomes
   * {@code previousBecomes}. One conditional batch: all of it happens or none.
   *
   * @return whether it was applied
   */
  public boolean swapCurrent(String dataset, int version, Set<VersionState> allowedFrom,
      OptionalInt expectedCurrent, VersionState previousBecomes) {
    String in = allowedFrom.stream().map(s -> Integer.toString(s.code())).collect(Collectors.joining(", "));
    StringBuilder cql = new StringBuilder("BEGIN BATCH ");
    List<Object> values = new ArrayList<>();
    cql.append("UPDATE ").append(ks).append(".versions SET current_version = ? WHERE dataset = ? IF current_version = ");
    values.add(version);
    values.add(dataset);
    if (expectedCurrent.isPresent()) {
      cql.append("? ");
      values.add(expectedCurrent.getAsInt());
    } else {
      cql.append("null ");
    }
    cql.append("UPDATE ").append(ks).append(".versions SET state = ?, promoted_at = ? WHERE dataset = ? AND version = ? IF state IN (")
        .append(in).append(") ");
    values.add(VersionState.CURRENT.code());
    values.add(Instant.now());
    values.add(dataset);
    values.add(version);
    if (expectedCurrent.isPresent()) {
      cql.append("UPDATE ").append(ks).append(".versions SET state = ? WHERE dataset = ? AND version = ? ");
      values.add(previousBecomes.code());
      values.add(dataset);
      values.add(expectedCurrent.getAsInt());
    }
    cql.append("APPLY BATCH");
    return session.execute(SimpleStatement.newInstance(cql.toString(), values.toArray())).wasApplied();
  }

  /** The current version of {@code dataset}, read with serial consistency. */
  public OptionalInt current(String dataset) {
    Row row = session.execute(SimpleStatement.newInstance(
            "SELECT current_version FROM " + ks + ".versions WHERE dataset = ? LIMIT 1", dataset)
        .setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_SERIAL))
        .one();
    return row == null || row.isNull("current_version") ? OptionalInt.empty() : OptionalInt.of(row.getInt("current_version"));
  }

  /** One version, or {@code null}. */
  public DatasetVersion version(String dataset, int version) {
    Row row = session.execute(SimpleStatement.newInstance(
            "SELECT * FROM " + ks + ".versions WHERE dataset = ? AND version = ?", dataset, version)
        .setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_SERIAL))
        .one();
    return row == null || row.isNull("state") ? null : toVersion(row);
  }

  /** All versions of {@code dataset}, newest first (dropped ones included). */
  public List<DatasetVersion> versions(String dataset) {
    List<DatasetVersion> out = new ArrayList<>();
    for (Row row : session.execute(SimpleStatement.newInstance(
            "SELECT * FROM " + ks + ".versions WHERE dataset = ?", dataset)
        .setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_SERIAL))) {
      if (!row.isNull("state")) {
        out.add(toVersion(row));
      }
    }
    return out;
  }

  /** Dataset names and their current versions, sorted by name. */
  public Map<String, OptionalInt> datasets() {
    Map<String, OptionalInt> out = new java.util.TreeMap<>();
    for (Row row : session.execute("SELECT DISTINCT dataset, current_version FROM " + ks + ".versions")) {
      out.put(row.getString("dataset"),
          row.isNull("current_version") ? OptionalInt.empty() : OptionalInt.of(row.getInt("current_version")));
    }
    return out;
  }

  private static DatasetVersion toVersion(Row row) {
    Map<String, String> columns = row.isNull("columns")
        ? Map.of() : new LinkedHashMap<>(row.getMap("columns", String.class, String.class));
    return new DatasetVersion(
        row.getString("dataset"),
        row.getInt("version"),
        VersionState.fromCode(row.getInt("state")),
        row.getString("keyspace_name"),
        row.getString("table_name"),
        row.getString("layout"),
        row.isNull("key_columns") ? List.of() : row.getList("key_columns", String.class),
        columns,
        row.isNull("rows") ? 0 : row.getLong("rows"),
        row.isNull("bytes") ? 0 : row.getLong("bytes"),
        row.getInstant("created_at"),
        row.getInstant("loaded_at"),
        row.getInstant("promoted_at"),
        row.getInstant("heartbeat_at"),
        row.getString("owner"),
        row.getString("message"));
  }

  private static void requireApplied(ResultSet rs, String dataset, int version, VersionState to) {
    if (!rs.wasApplied()) {
      Row r = rs.one();
      String actual = r == null || r.isNull("state") ? "missing" : VersionState.fromCode(r.getInt("state")).label();
      throw new CatalogException("version " + version + " of '" + dataset + "' could not become " + to.label()
          + ": it is " + actual);
    }
  }

  private static String truncate(String message) {
    if (message == null) {
      return null;
    }
    return message.length() > 2000 ? message.substring(0, 2000) + "…" : message;
  }
}
