package io.nostos.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import org.junit.jupiter.api.Test;

class SnapshotCleanerTest {
  private static final String[] COLUMNS = {"Snapshot name", "Keyspace name", "Column family name"};

  private static TabularDataSupport rows(String tag, String ks, String table) throws OpenDataException {
    CompositeType type = new CompositeType("snapshot", "snapshot", COLUMNS, COLUMNS,
        new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});
    TabularDataSupport t = new TabularDataSupport(new TabularType("snapshots", "snapshots", type, COLUMNS));
    t.put(new CompositeDataSupport(type, COLUMNS, new Object[] {tag, ks, table}));
    return t;
  }

  @Test
  void picksOnlyDropSnapshotsOfTheDatasetsVersionedTables() throws OpenDataException {
    Map<String, javax.management.openmbean.TabularData> details = Map.of(
        "dropped-1764150000000-users_v1", rows("dropped-1764150000000-users_v1", "data", "users_v1"),
        "dropped-1764150000001-users_archive", rows("dropped-1764150000001-users_archive", "data", "users_archive"),
        "dropped-1764150000002-users_v2", rows("dropped-1764150000002-users_v2", "other", "users_v2"),
        "backup-before-upgrade", rows("backup-before-upgrade", "data", "users_v3"),
        "dropped-1764150000003-users_x_v1", rows("dropped-1764150000003-users_x_v1", "data", "users_x_v1"));
    assertThat(SnapshotCleaner.dropSnapshotsOf(details, "data", "users"))
        .containsExactly(new SnapshotCleaner.Snapshot("dropped-1764150000000-users_v1", "data", "users_v1"));
  }
}
