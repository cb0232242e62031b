package io.nostos.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.VersionState;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The staleness bound of the cached current-version pointer, with a controlled clock. */
class CurrentVersionsTest {
  /** A catalog whose current version the test sets, counting pointer reads. */
  private static class CountingCatalog implements CurrentVersions.Lookup {
    int current = 1;
    int reads;

    @Override
    public OptionalInt current(String dataset) {
      reads++;
      return OptionalInt.of(current);
    }

    @Override
    public DatasetVersion version(String dataset, int version) {
      return new DatasetVersion(dataset, version, VersionState.CURRENT, "ks", dataset + "_v" + version, "document",
          List.of("id"), Map.of(), 0, 0, null, null, null, null, null, null);
    }
  }

  @Test
  void unknownDatasetIsA404() {
    CurrentVersions versions = new CurrentVersions(new CountingCatalog() {
      @Override
      public OptionalInt current(String dataset) {
        return OptionalInt.empty();
      }
    }, Duration.ofSeconds(2), Instant::now);
    assertThatThrownBy(() -> versions.get("nope")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(404)).hasMessage("dataset 'nope' has no current version");
  }

  @Test
  void refreshesOnlyAfterTheTtl() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    CountingCatalog catalog = new CountingCatalog();
    CurrentVersions versions = new CurrentVersions(catalog, Duration.ofSeconds(2), now::get);
    assertThat(versions.get("ds").version()).isEqualTo(1);
    catalog.current = 2;
    now.set(now.get().plusMillis(1999));
    assertThat(versions.get("ds").version()).as("within the bound the cached pointer may be served").isEqualTo(1);
    now.set(now.get().plusMillis(1));
    assertThat(versions.get("ds").version()).as("at the bound it is re-read").isEqualTo(2);
    catalog.current = 3;
    versions.invalidate("ds");
    assertThat(versions.get("ds").version()).isEqualTo(3);
    assertThat(catalog.reads).isEqualTo(3);
  }

  @Test
  void freshNeverReadsTheCatalogAndExpiresWithTheTtl() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    CountingCatalog catalog = new CountingCatalog();
    CurrentVersions versions = new CurrentVersions(catalog, Duration.ofSeconds(2), now::get);
    assertThat(versions.fresh("ds")).as("nothing cached yet").isEmpty();
    versions.get("ds");
    now.set(now.get().plusMillis(1999));
    assertThat(versions.fresh("ds")).map(DatasetVersion::version).hasValue(1);
    now.set(now.get().plusMillis(1));
    assertThat(versions.fresh("ds")).as("at the bound the pointer must be re-read").isEmpty();
    assertThat(catalog.reads).isEqualTo(1);
  }
}
