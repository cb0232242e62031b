package io.nostos.serving;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.nostos.catalog.DatasetVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads one document of a version, fetching only the fields asked for: in the {@code document}
 * layout only those clustering rows ({@code field IN ?}), in the {@code columns} layout only
 * those columns. Statements are prepared once per shape and reused. Thread safe.
 *
 * <p>Key encoding in URLs: a single-column key is the value itself (URL-encoded); a composite
 * key is a JSON array of its components in key order, e.g. {@code ["BR",42]}.
 */
final class DocumentReader {

  private final CqlSession session;
  private final ServingMetrics metrics;
  private final Map<String, CompletableFuture<PreparedStatement>> prepared = new ConcurrentHashMap<>();

  DocumentReader(CqlSession session, ServingMetrics metrics) {
    this.session = session;
    this.metrics = metrics;
  }

  /** The key components of {@code encoded} for {@code v}'s key columns; 400 if it does not fit. */
  List<Object> parseKey(DatasetVersion v, String encoded) {
    List<ColumnMetadata> keyColumns = table(v).getPartitionKey();
    List<String> parts = new ArrayList<>();
    if (keyColumns.size() == 1) {
      parts.add(encoded);
    } else {
      try {
        JsonNode array = Json.MAPPER.readTree(encoded);
        if (!array.isArray() || array.size() != keyColumns.size()) {
          throw ApiException.badRequest("the key of " + v.dataset() + " has " + keyColumns.size() + " columns ("
              + keyColumns.stream().map(c -> c.getName().asInternal()).collect(Collectors.joining(", "))
              + "); write it as a JSON array such as [\"a\",1]");
        }
        array.forEach(n -> parts.add(n.isTextual() ? n.asText() : n.toString()));
      } catch (JsonProcessingException e) {
        throw ApiException.badRequest("a composite key is a JSON array such as [\"a\",1]; got: " + encoded);
      }
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      values.add(convert(keyColumns.get(i), parts.get(i)));
    }
    return values;
  }

  private Object convert(ColumnMetadata column, String text) {
    DataType type = column.getType();
    if (type.equals(DataTypes.TEXT) || type.equals(DataTypes.ASCII)) {
      if (text.isEmpty()) {
        throw ApiException.badRequest("key column " + column.getName().asInternal() + " is empty");
      }
      return text;
    }
    TypeCodec<Object> codec = session.getContext().getCodecRegistry().codecFor(type);
    try {
      Object value = codec.parse(text);
      if (value == null) {
        throw new IllegalArgumentException("null");
      }
      return value;
    } catch (RuntimeException e) {
      try {
        return codec.parse("'" + text.replace("'", "''") + "'");
      } catch (RuntimeException e2) {
        throw ApiException.badRequest("'" + text + "' is not a valid " + type.asCql(false, true)
            + " for key column " + column.getName().asInternal());
      }
    }
  }

  /** The document's requested fields, or empty if the key does not exist; never blocks. */
  CompletionStage<Optional<Map<String, Object>>> readAsync(DatasetVersion v, List<Object> key, List<String> fields) {
    TableMetadata t = table(v);
    String where = t.getPartitionKey().stream().map(c -> c.getName().asCql(true) + " = ?")
        .collect(Collectors.joining(" AND "));
    long start = System.nanoTime();
    if ("document".equals(v.layout())) {
      // One marker per field, not "IN ?" with a list: Cassandra spends about 1.7x the CPU on a bound
      // list (docs/benchmarks.md, serve). A statement is prepared per number of fields.
      String cql = "SELECT field, value FROM " + v.keyspace() + "." + v.table() + " WHERE " + where
          + (fields.isEmpty() ? "" : " AND field IN (" + String.join(", ", Collections.nCopies(fields.size(), "?")) + ")");
      List<Object> values = new ArrayList<>(key);
      values.addAll(fields);
      Map<String, Object> doc = new LinkedHashMap<>();
      return execute(cql, values)
          .thenCompose(rs -> collect(rs, doc))
          .thenApply(d -> {
            metrics.cassandraLatency(System.nanoTime() - start);
            return d.isEmpty() ? Optional.<Map<String, Object>>empty() : Optional.of(d);
          });
    }
    List<String> columns = fields.isEmpty() ? new ArrayList<>(v.columns().keySet()) : fields;
    String cql = "SELECT " + columns.stream().map(c -> "\"" + c.replace("\"", "\"\"") + "\"").collect(Collectors.joining(", "))
        + " FROM " + v.keyspace() + "." + v.table() + " WHERE " + where;
    return execute(cql, key).thenApply(rs -> {
      metrics.cassandraLatency(System.nanoTime() - start);
      Row r = rs.one();
      if (r == null) {
        return Optional.<Map<String, Object>>empty();
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        doc.put(columns.get(i), toJson(r.getObject(i)));
      }
      return Optional.of(doc);
    });
  }

  private static CompletionStage<Map<String, Object>> collect(AsyncResultSet rs, Map<String, Object> doc) {
    for (Row r : rs.currentPage()) {
      doc.put(r.getString(0), parse(r.getString(1)));
    }
    return rs.hasMorePages() ? rs.fetchNextPage().thenCompose(next -> collect(next, doc))
        : CompletableFuture.completedFuture(doc);
  }

  /** Runs {@code cql} with {@code values}, preparing it on first use without blocking the caller. */
  private CompletionStage<AsyncResultSet> execute(String cql, List<Object> values) {
    CompletableFuture<PreparedStatement> ps = prepared.computeIfAbsent(cql, c -> session.prepareAsync(c).toCompletableFuture());
    if (ps.isCompletedExceptionally()) {
      // A failed preparation is dropped by the first read that finds it (that read fails with its
      // cause); later reads prepare again.
      prepared.remove(cql, ps);
    }
    return ps.thenCompose(p -> session.executeAsync(p.bind(values.toArray())));
  }

  private TableMetadata table(DatasetVersion v) {
    return session.getMetadata().getKeyspace(v.keyspace()).flatMap(k -> k.getTable(v.table()))
        .orElseThrow(() -> new ApiException(503, "table " + v.keyspace() + "." + v.table() + " of " + v.dataset()
            + " v" + v.version() + " is not visible to this server yet"));
  }

  private static JsonNode toJson(Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String
        || value instanceof java.util.Collection || value instanceof Map) {
      return Json.MAPPER.valueToTree(value);
    }
    return Json.MAPPER.getNodeFactory().textNode(value.toString());
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored value is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
