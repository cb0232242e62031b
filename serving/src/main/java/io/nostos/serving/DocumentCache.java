package io.nostos.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nostos.catalog.DatasetVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fields of documents as JSON text, kept by version, key and fields asked for, within a byte budget (least
 * recently and frequently used answers leave first). Always correct without invalidation: a
 * version's table is immutable once it is readable, and the key names the table and the time it
 * was created, so a promotion, a rollback or a dataset rebuilt under the same version number never
 * meets an old answer. Only found documents are kept. Thread safe.
 *
 * <p>Single reads and batchGet share it: both keep and find a document's {@code fields} object.
 */
final class DocumentCache {
  private record Key(String keyspace, String table, Instant created, String documentKey, List<String> fields) {}

  private final Cache<Key, String> answers; // null when off

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /** A cache of at most {@code maxBytes} of answers; 0 keeps nothing. */
  DocumentCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("the cache size must be 0 (off) or more bytes, not " + maxBytes);
    }
    this.answers = maxBytes == 0 ? null
        : Caffeine.newBuilder().maximumWeight(maxBytes).weigher(DocumentCache::weight).build();
  }

  /** The kept fields, if any; a cache that is off finds nothing and counts nothing. */
  Optional<String> get(DatasetVersion v, String documentKey, List<String> fields) {
    if (answers == null) {
      return Optional.empty();
    }
    String hit = answers.getIfPresent(key(v, documentKey, fields));
    (hit == null ? misses : hits).increment();
    return Optional.ofNullable(hit);
  }

  void put(DatasetVersion v, String documentKey, List<String> fields, String fieldsJson) {
    if (answers == null) {
      return;
    }
    answers.put(key(v, documentKey, fields), fieldsJson);
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  /** Hits, misses and the bytes held, in the Prometheus text format. */
  String prometheus() {
    return "# HELP nostos_document_cache_requests_total Documents read from the cache (hit) or Cassandra (miss), by single reads and batchGet.\n"
        + "# TYPE nostos_document_cache_requests_total counter\n"
        + "nostos_document_cache_requests_total{result=\"hit\"} " + hits() + "\n"
        + "nostos_document_cache_requests_total{result=\"miss\"} " + misses() + "\n"
        + "# HELP nostos_document_cache_bytes Approximate bytes the cache holds.\n"
        + "# TYPE nostos_document_cache_bytes gauge\n"
        + "nostos_document_cache_bytes " + (answers == null ? 0
            : answers.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L)) + "\n";
  }

  private static Key key(DatasetVersion v, String documentKey, List<String> fields) {
    return new Key(v.keyspace(), v.table(), v.createdAt(), documentKey, fields);
  }

  /** Roughly the heap an entry holds: the JSON text, the key's text and the objects around them. */
  private static int weight(Key k, String fieldsJson) {
    int fieldChars = 0;
    for (String f : k.fields()) {
      fieldChars += f.length() + 40;
    }
    return fieldsJson.length() + k.documentKey().length() + fieldChars + 200;
  }
}
