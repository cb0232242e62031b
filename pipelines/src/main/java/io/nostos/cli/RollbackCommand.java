package io.nostos.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.Sessions;
import io.nostos.catalog.VersionLifecycle;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Makes the previous backup version (or --to VERSION) current, atomically.",
        "The rolled-back version is marked rolled_back: later runs never promote it again;",
        "only an explicit 'nostos promote' can."})
final class RollbackCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DATASET")
  String dataset;

  @Option(names = "--to", paramLabel = "VERSION", description = "Version to roll back to (default: the newest backup).")
  String to;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() {
    OptionalInt target = to == null ? OptionalInt.empty() : OptionalInt.of(PromoteCommand.parseVersion(to));
    try (CqlSession session = Sessions.open(connection.target())) {
      new CatalogStore(session, connection.target().catalogKeyspace()).requireExists();
      DatasetVersion v = new VersionLifecycle(session, connection.target()).rollback(dataset, target);
      PromoteCommand.report("rolled back", v, json);
      return NostosCli.OK;
    }
  }
}
