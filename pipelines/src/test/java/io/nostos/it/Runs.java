package io.nostos.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.spec.Spec;
import io.nostos.pipelines.spec.SpecLoader;
import io.nostos.transforms.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Helpers to write specs, run them against the test node and read tables back. */
public final class Runs {
  private Runs() {}

  /** Writes {@code yaml} to {@code dir/name.yaml} and loads it. */
  public static Spec spec(Path dir, String name, String yaml) {
    try {
      Files.createDirectories(dir);
      Path f = dir.resolve(name + ".yaml");
      Files.writeString(f, yaml);
      return SpecLoader.load(f, Map.of("PGPASSWORD", "postgres"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code spec} loading into {@code keyspace} instead of the one it names. */
  public static Spec inKeyspace(Spec spec, String keyspace) {
    Spec.Load l = spec.load();
    return new Spec(spec.file(), spec.dataset(), spec.description(), spec.sources(), spec.key(), spec.layout(),
        spec.columns(), spec.generators(), spec.output(), spec.retainVersions(),
        new Spec.Load(keyspace, l.ranges(), l.throttleMibPerSec(), l.verifySample(), l.sortBufferMib(), l.verify()),
        spec.badRows());
  }

  public static JobRunner runner(String keyspace, Path workDir) {
    return runner(keyspace, workDir, RunnerConfig.direct());
  }

  public static JobRunner runner(String keyspace, Path workDir, RunnerConfig rc) {
    return new JobRunner(TestCassandra.target(keyspace), rc, workDir, new PrintStream(PrintStream.nullOutputStream()));
  }

  /** A document-layout table read back as key (first key column, as text) → field → JSON value. */
  public static Map<String, Map<String, Object>> documents(CqlSession s, String qualifiedTable, String keyColumn) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Row r : s.execute("SELECT \"" + keyColumn + "\", field, value FROM " + qualifiedTable)) {
      out.computeIfAbsent(String.valueOf(r.getObject(0)), k -> new TreeMap<>())
          .put(r.getString(1), Json.read(r.getString(2)));
    }
    return out;
  }

  /** The current version's table, as keyspace.table. */
  public static String currentTable(CqlSession s, String catalogKeyspace, String dataset) {
    CatalogStore c = new CatalogStore(s, catalogKeyspace);
    int v = c.current(dataset).orElseThrow(() -> new AssertionError("no current version of " + dataset));
    DatasetVersion dv = c.version(dataset, v);
    return dv.keyspace() + "." + dv.table();
  }
}
