package io.nostos.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.SharedSessions;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.TableLayout;
import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.TableSchema;
import io.nostos.transforms.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Loads every example spec from the embedded warehouse into a local node.",
        "Starts the local Cassandra node if needed, loads every spec in specs/examples/ from",
        "the embedded DuckDB warehouse, and prints the versions and a few documents read back",
        "from Cassandra. Run it again to create the next versions; older ones stay as backups",
        "(3 kept)."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--runner-config", paramLabel = "FILE", description = "Runner config (default: Flink mini-cluster in this JVM).")
  Path runnerConfig;

  @Option(names = "--specs", paramLabel = "DIR", description = "Directory of specs (default: specs/examples).")
  Path specsDir;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() throws IOException {
    DevCommand.up(NostosHome.devNode(), false);
    CassandraTarget target = connection.target();
    RunnerConfig rc = runnerConfig == null ? RunnerConfig.defaultLocal() : RunnerConfig.load(runnerConfig);
    Path dir = specsDir != null ? specsDir : NostosHome.repo().resolve("specs/examples");
    List<Path> specs;
    try (Stream<Path> s = Files.list(dir)) {
      specs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    if (specs.isEmpty()) {
      throw new IllegalStateException("no specs (*.yaml) in " + dir);
    }
    List<Spec> loaded = RunCommand.load(specs, System.getenv());
    try (SharedSessions.Lease<CqlSession> lease = SharedSessions.lease(target)) {
      RunCommand.runAll(new JobRunner(target, rc, NostosHome.workDir(), System.err), loaded, RunCommand.Format.TEXT);
      CqlSession session = lease.session();
      CatalogStore catalog = new CatalogStore(session, target.catalogKeyspace());
      for (Spec spec : loaded) {
        Output.out.println();
        Output.out.println("== " + spec.dataset() + ": " + spec.description());
        List<DatasetVersion> versions = catalog.versions(spec.dataset()).stream()
            .filter(v -> v.state() != VersionState.DROPPED).toList();
        VersionsCommand.print(versions, false);
        OptionalInt current = catalog.current(spec.dataset());
        versions.stream().filter(v -> current.isPresent() && v.version() == current.getAsInt()).findFirst()
            .ifPresent(v -> printSamples(session, spec, v));
      }
    }
    Output.out.println();
    Output.out.println("Next: ./nostos versions user_profile   ./nostos rollback user_profile   ./nostos demo (again)");
    Output.out.println("Read over HTTP: NOSTOS_ADMIN_TOKEN=secret ./nostos serve --port 8080, then");
    Output.out.println("  curl 'http://127.0.0.1:8080/v1/datasets/user_profile/docs/u0063?fields=languages'");
    Output.out.println("  curl -X POST -H 'Authorization: Bearer secret' http://127.0.0.1:8080/v1/datasets/user_profile/rollback");
    Output.out.println("From Java (client/):");
    Output.out.println("  NostosClient.builder(\"http://127.0.0.1:8080\").build().get(\"user_profile\", \"u0063\", \"languages\")");
    return NostosCli.OK;
  }

  private static void printSamples(CqlSession session, Spec spec, DatasetVersion v) {
    TableSchema schema = TableLayout.schema(spec, v.keyspace(), v.table());
    String keyCols = String.join(", ", schema.partitionKey().stream().map(c -> TableSchema.quote(c.name())).toList());
    List<Row> keys = session.execute("SELECT DISTINCT " + keyCols + " FROM " + schema.qualifiedName() + " LIMIT 2").all();
    for (Row k : keys) {
      List<Object> keyValues = new ArrayList<>();
      StringBuilder where = new StringBuilder();
      for (int i = 0; i < schema.partitionKey().size(); i++) {
        where.append(i == 0 ? "" : " AND ").append(TableSchema.quote(schema.partitionKey().get(i).name())).append(" = ?");
        keyValues.add(k.getObject(i));
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      for (Row r : session.execute(SimpleStatement.newInstance(
          "SELECT * FROM " + schema.qualifiedName() + " WHERE " + where, keyValues.toArray()))) {
        if (spec.layout() == Spec.Layout.DOCUMENT) {
          doc.put(r.getString(TableLayout.FIELD), Json.read(r.getString(TableLayout.VALUE)));
        } else {
          for (TableSchema.Column c : schema.columns()) {
            doc.put(c.name(), r.getObject(TableSchema.quote(c.name())));
          }
        }
      }
      Output.out.println("  " + keyValues + " -> " + Json.write(doc));
    }
  }
}
