package io.nostos.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test data: versions in given states. */
final class Versions {
  static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  private Versions() {}

  static DatasetVersion v(int n, VersionState state) {
    return v(n, state, NOW, "otherhost:1");
  }

  static DatasetVersion v(int n, VersionState state, Instant heartbeat, String owner) {
    return new DatasetVersion("ds", n, state, "ks", "ds_v" + n, "document", List.of("id"), Map.of(), 0, 0,
        heartbeat, null, null, heartbeat, owner, null);
  }
}
