package io.nostos.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.Sessions;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.Sizes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "versions", mixinStandardHelpOptions = true,
    description = "Lists the versions of a dataset (newest first). Dropped versions are hidden unless --all.")
final class VersionsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DATASET")
  String dataset;

  @Option(names = "--all", description = "Also list dropped versions.")
  boolean all;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() {
    try (CqlSession session = Sessions.open(connection.target())) {
      CatalogStore catalog = new CatalogStore(session, connection.target().catalogKeyspace()).requireExists();
      List<DatasetVersion> versions = catalog.versions(dataset).stream()
          .filter(v -> all || v.state() != VersionState.DROPPED).toList();
      OptionalInt current = catalog.current(dataset);
      if (versions.isEmpty() && current.isEmpty()) {
        throw new IllegalStateException("no dataset named '" + dataset + "'; run a spec for it first");
      }
      print(versions, json);
      return NostosCli.OK;
    }
  }

  static void print(List<DatasetVersion> versions, boolean json) {
    if (json) {
      Output.json(Output.out, versions.stream().map(VersionsCommand::toMap).toList());
      return;
    }
    Output.out.printf("%-8s %-12s %12s %10s  %-20s %-20s %s%n", "VERSION", "STATE", "ROWS", "SIZE", "CREATED", "PROMOTED", "TABLE");
    for (DatasetVersion v : versions) {
      Output.out.printf("%-8s %-12s %,12d %10s  %-20s %-20s %s%n", "v" + v.version(), v.state().label(), v.rows(),
          Sizes.human(v.bytes()), ts(v.createdAt()), ts(v.promotedAt()), v.keyspace() + "." + v.table());
    }
  }

  static Map<String, Object> toMap(DatasetVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("state", v.state().label());
    m.put("table", v.keyspace() + "." + v.table());
    m.put("rows", v.rows());
    m.put("bytes", v.bytes());
    m.put("created_at", v.createdAt() == null ? null : v.createdAt().toString());
    m.put("promoted_at", v.promotedAt() == null ? null : v.promotedAt().toString());
    m.put("message", v.message());
    return m;
  }

  private static String ts(java.time.Instant i) {
    return i == null ? "-" : i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace("T", " ").replace("Z", "");
  }
}
