package io.nostos.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.Sessions;
import io.nostos.catalog.VersionLifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote", mixinStandardHelpOptions = true,
    description = {"Makes a loaded, backup or rolled-back version current (atomically).",
        "The previously current version becomes a backup."})
final class PromoteCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET")
  String dataset;

  @Parameters(index = "1", paramLabel = "VERSION", description = "Version number (3 or v3).")
  String version;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() {
    int n = parseVersion(version);
    try (CqlSession session = Sessions.open(connection.target())) {
      new CatalogStore(session, connection.target().catalogKeyspace()).requireExists();
      DatasetVersion v = new VersionLifecycle(session, connection.target()).promote(dataset, n);
      report("promoted", v, json);
      return NostosCli.OK;
    }
  }

  static int parseVersion(String s) {
    String t = s.startsWith("v") ? s.substring(1) : s;
    try {
      int n = Integer.parseInt(t);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new NostosCli.UsageException("'" + s + "' is not a version number; write e.g. 3 or v3");
    }
  }

  static void report(String what, DatasetVersion v, boolean json) {
    if (json) {
      Output.json(Output.out, VersionsCommand.toMap(v));
    } else {
      Output.out.printf("%s: %s v%d is now current (%s.%s)%n", what, v.dataset(), v.version(), v.keyspace(), v.table());
    }
  }
}
