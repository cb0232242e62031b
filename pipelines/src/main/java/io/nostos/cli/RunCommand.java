package io.nostos.cli;

import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.Sizes;
import io.nostos.pipelines.spec.Spec;
import io.nostos.pipelines.spec.SpecLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Loads a new version of a dataset from its spec and makes it current once verified.",
        "Progress goes to stderr; the result to stdout."})
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SPEC", description = "The job spec (YAML).")
  Path spec;

  @Option(names = "--runner-config", paramLabel = "FILE",
      description = "Runner config (runner-configs/*.yaml). Default: Flink mini-cluster in this JVM on all cores.")
  Path runnerConfig;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where ranges are written before streaming (default: .nostos/work). On a Flink cluster, "
          + "a local path that exists on every TaskManager.")
  Path workDir;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() {
    Spec s = SpecLoader.load(spec);
    RunnerConfig rc = runnerConfig == null ? RunnerConfig.defaultLocal() : RunnerConfig.load(runnerConfig);
    JobRunner.Outcome o = new JobRunner(connection.target(), rc, workDir != null ? workDir : NostosHome.workDir(), System.err).run(s);
    print(o, json);
    return NostosCli.OK;
  }

  static void print(JobRunner.Outcome o, boolean json) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", o.dataset());
      m.put("version", o.version());
      m.put("table", o.table());
      m.put("state", o.state().label());
      m.put("rows", o.rows());
      m.put("bytes", o.bytes());
      m.put("ranges", o.ranges());
      m.put("dropped_versions", o.dropped());
      m.put("seconds", o.elapsed().toMillis() / 1000.0);
      m.put("bad_rows", o.badRows());
      m.put("dead_letter", o.deadLetter());
      Output.json(Output.out, m);
    } else {
      Output.out.printf("%s v%d %s: %,d rows, %s in %d ranges, %.1f s (table %s)%n", o.dataset(), o.version(),
          o.state().label(), o.rows(), Sizes.human(o.bytes()), o.ranges(), o.elapsed().toMillis() / 1000.0, o.table());
      if (!o.badRows().isEmpty()) {
        Output.out.printf("  bad rows skipped: %s; written with their reasons to %s/%n", o.badRows(), o.deadLetter());
      }
    }
  }
}
