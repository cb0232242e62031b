package io.nostos.serving;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.EventExecutor;
import io.nostos.catalog.DatasetVersion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads one document of a version, fetching only the fields asked for: in the {@code document}
 * layout only those clustering rows ({@code field IN (?, ...)}), in the {@code columns} layout only
 * those columns. Concurrent reads of single-column keys share queries ({@code key IN (?, ...)},
 * see {@link ReadCoalescer}); each read still gets exactly its own document. Statements are
 * prepared once per shape and number of keys, and reused. Thread safe.
 *
 * <p>Key encoding in URLs: a single-column key is the value itself (URL-encoded); a composite
 * key is a JSON array of its components in key order, e.g. {@code ["BR",42]}.
 */
final class DocumentReader {

  private final CqlSession session;
  private final ServingMetrics metrics;
  private final Map<String, CompletableFuture<PreparedStatement>> prepared = new ConcurrentHashMap<>();
  private final CodecRegistry codecs;
  private final ProtocolVersion protocol;
  private final ReadCoalescer<Group, List<ByteBuffer>, Map<String, Object>> coalescer;

  /** {@code batchKeys}: most single-column keys read in one query (1: each read alone). */
  DocumentReader(CqlSession session, ServingMetrics metrics, int batchKeys) {
    this.session = session;
    this.metrics = metrics;
    this.codecs = session.getContext().getCodecRegistry();
    this.protocol = session.getContext().getProtocolVersion();
    this.coalescer = new ReadCoalescer<>(batchKeys, (group, keys) -> query(group.shape(), keys));
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

  /**
   * The document's requested fields, or empty if the key does not exist; never blocks. A read of a
   * single-column key joins the current turn of {@code loop} (see {@link ReadCoalescer}) and shares
   * its query with the reads of the same table, fields and replicas that arrived in that turn.
   */
  CompletionStage<Optional<Map<String, Object>>> readAsync(EventExecutor loop, DatasetVersion v, List<Object> key,
      List<String> fields) {
    TableMetadata t = table(v);
    List<ColumnMetadata> keyColumns = t.getPartitionKey();
    boolean document = "document".equals(v.layout());
    List<String> selected = document || !fields.isEmpty() ? fields : new ArrayList<>(v.columns().keySet());
    Shape shape = new Shape(v.keyspace(), v.table(), document, selected,
        keyColumns.stream().map(c -> c.getName().asCql(true)).toList());
    List<ByteBuffer> encoded = new ArrayList<>(key.size());
    for (int i = 0; i < key.size(); i++) {
      encoded.add(codecs.<Object>codecFor(keyColumns.get(i).getType()).encode(key.get(i), protocol));
    }
    if (encoded.size() > 1) {
      // A composite key cannot go in an IN list with others: it is read alone.
      return query(shape, List.of(encoded)).thenApply(found -> Optional.ofNullable(found.get(encoded)));
    }
    Set<Node> replicas = session.getMetadata().getTokenMap()
        .map(m -> m.getReplicas(t.getKeyspace(), encoded.get(0))).orElse(Set.of());
    return coalescer.read(loop, new Group(shape, replicas), encoded);
  }

  /** A read's statement: its table, layout, fields (or, in the columns layout, the columns) and key columns. */
  private record Shape(String keyspace, String table, boolean document, List<String> fields, List<String> keyColumns) {
    /** The CQL reading {@code keys} keys: {@code key = ?} for one, {@code key IN (?, ...)} for more. */
    String cql(int keys) {
      String select = document ? "field, value"
          : fields.stream().map(c -> "\"" + c.replace("\"", "\"\"") + "\"").collect(Collectors.joining(", "));
      String where = keys == 1 ? keyColumns.stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "))
          : keyColumns.get(0) + " IN (" + markers(keys) + ")";
      return "SELECT " + (keys == 1 ? "" : keyColumns.get(0) + ", ") + select + " FROM " + keyspace + "." + table
          + " WHERE " + where + (document && !fields.isEmpty() ? " AND field IN (" + markers(fields.size()) + ")" : "");
    }

    private static String markers(int n) {
      // One marker per value, not "IN ?" with a list: Cassandra spends about 1.7x the CPU on a bound
      // list (docs/benchmarks.md, serve).
      return String.join(", ", Collections.nCopies(n, "?"));
    }
  }

  /** Reads that may share a query: the same statement shape, and keys on the same replicas. */
  private record Group(Shape shape, Set<Node> replicas) {}

  /**
   * Reads {@code keys} (each a list of its encoded key components; several only for a single-column
   * key) in one query, routed to the replicas of the first. Answers only the keys found.
   */
  private CompletionStage<Map<List<ByteBuffer>, Map<String, Object>>> query(Shape shape, List<List<ByteBuffer>> keys) {
    long start = System.nanoTime();
    return prepare(shape.cql(keys.size())).thenCompose(ps -> {
      BoundStatementBuilder b = ps.boundStatementBuilder();
      int i = 0;
      for (List<ByteBuffer> k : keys) {
        for (ByteBuffer component : k) {
          b.setBytesUnsafe(i++, component.duplicate());
        }
      }
      if (shape.document()) {
        for (String f : shape.fields()) {
          b.setString(i++, f);
        }
      }
      if (keys.size() > 1) {
        b.setRoutingKeyspace(shape.keyspace()).setRoutingKey(keys.get(0).get(0).duplicate());
      }
      Map<List<ByteBuffer>, Map<String, Object>> found = new HashMap<>();
      return session.executeAsync(b.build())
          .thenCompose(rs -> collect(rs, shape, keys, found))
          .thenApply(done -> {
            metrics.cassandraRead(keys.size(), System.nanoTime() - start);
            return done;
          });
    });
  }

  /** Adds the rows of {@code rs} and its later pages to the documents of their keys. */
  private static CompletionStage<Map<List<ByteBuffer>, Map<String, Object>>> collect(AsyncResultSet rs, Shape shape,
      List<List<ByteBuffer>> keys, Map<List<ByteBuffer>, Map<String, Object>> found) {
    int first = keys.size() == 1 ? 0 : 1;
    for (Row r : rs.currentPage()) {
      List<ByteBuffer> key = first == 0 ? keys.get(0) : List.of(r.getBytesUnsafe(0));
      Map<String, Object> doc = found.computeIfAbsent(key, k -> new LinkedHashMap<>());
      if (shape.document()) {
        doc.put(r.getString(first), parse(r.getString(first + 1)));
      } else {
        for (int c = 0; c < shape.fields().size(); c++) {
          doc.put(shape.fields().get(c), toJson(r.getObject(first + c)));
        }
      }
    }
    return rs.hasMorePages() ? rs.fetchNextPage().thenCompose(next -> collect(next, shape, keys, found))
        : CompletableFuture.completedFuture(found);
  }

  /** Prepares {@code cql} on first use without blocking the caller. */
  private CompletionStage<PreparedStatement> prepare(String cql) {
    CompletableFuture<PreparedStatement> ps = prepared.computeIfAbsent(cql, c -> session.prepareAsync(c).toCompletableFuture());
    if (ps.isCompletedExceptionally()) {
      // A failed preparation is dropped by the first read that finds it (that read fails with its
      // cause); later reads prepare again.
      prepared.remove(cql, ps);
    }
    return ps;
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
