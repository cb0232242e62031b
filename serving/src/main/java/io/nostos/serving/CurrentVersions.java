package io.nostos.serving;

import io.nostos.catalog.DatasetVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The current version of each dataset, cached for at most {@code ttl}: a promotion or rollback
 * done by any process is visible to reads within {@code ttl} (plus one catalog read). A
 * promotion or rollback done through this server is visible at once.
 */
final class CurrentVersions {
  private record Entry(DatasetVersion version, Instant fetched) {}

  /** Where pointers and versions are read from (the catalog). */
  interface Lookup {
    OptionalInt current(String dataset);

    DatasetVersion version(String dataset, int version);
  }

  private final Lookup catalog;
  private final Duration ttl;
  private final Supplier<Instant> clock;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  CurrentVersions(Lookup catalog, Duration ttl, Supplier<Instant> clock) {
    this.catalog = catalog;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** The current version, or a 404 naming the dataset. */
  DatasetVersion get(String dataset) {
    Instant now = clock.get();
    Entry e = cache.get(dataset);
    if (e == null || !e.fetched().plus(ttl).isAfter(now)) {
      OptionalInt current = catalog.current(dataset);
      if (current.isEmpty()) {
        cache.remove(dataset);
        throw ApiException.notFound("dataset '" + dataset + "' has no current version");
      }
      e = new Entry(catalog.version(dataset, current.getAsInt()), now);
      cache.put(dataset, e);
    }
    return e.version();
  }

  /** The cached current version if it is younger than the TTL; never reads the catalog. */
  Optional<DatasetVersion> fresh(String dataset) {
    Entry e = cache.get(dataset);
    return e != null && e.fetched().plus(ttl).isAfter(clock.get()) ? Optional.of(e.version()) : Optional.empty();
  }

  void invalidate(String dataset) {
    cache.remove(dataset);
  }
}
