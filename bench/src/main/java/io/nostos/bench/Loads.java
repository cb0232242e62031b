package io.nostos.bench;

import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the benchmark rows as a document dataset with Nostos (for the serve and swap benchmarks). */
final class Loads {
  private Loads() {}

  static JobRunner.Outcome document(BenchNode node, DataSet data, Path dir, String ks, String dataset, PrintStream log) {
    Path csv = data.csv(dir.resolve("data"));
    Path spec = dir.resolve("work").resolve(dataset + ".yaml");
    try {
      Files.createDirectories(spec.getParent());
      Files.writeString(spec, "dataset: " + dataset + "\n"
          + "source: {type: files, path: " + csv + "}\n"
          + "key: [id]\n"
          + "generators:\n"
          + "  - {type: columns, select: {id: id, a: {from: a, type: bigint}, b: {from: b, type: bigint}, name: name,"
          + " value: {from: value, type: json}}}\n"
          + "load: {keyspace: " + ks + ", throttle_mib_per_sec: 0}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.printf("loading %,d rows as %s.%s...%n", data.rows(), ks, dataset);
    return new JobRunner(node.target(ks), RunnerConfig.defaultLocal(), dir.resolve("work").resolve(dataset),
        new PrintStream(PrintStream.nullOutputStream())).run(SpecLoader.load(spec));
  }
}
