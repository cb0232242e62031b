package io.nostos.cli;

import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.spec.Spec;
import io.nostos.pipelines.spec.SpecLoader;
import io.nostos.sstable.TokenRange;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Dry run: shows the version and table a run would create, its token ranges and the versions it would drop.")
final class PlanCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SPEC", description = "The job spec (YAML).")
  Path spec;

  @Option(names = "--json", description = "Print the plan as JSON.")
  boolean json;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() {
    Spec s = SpecLoader.load(spec);
    JobRunner.Plan p = new JobRunner(connection.target(), RunnerConfig.defaultLocal(), NostosHome.workDir(), System.err).plan(s);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", p.dataset());
      m.put("next_version", p.nextVersion());
      m.put("table", p.table());
      m.put("create_table", p.createTable());
      m.put("current_version", p.current().isPresent() ? p.current().getAsInt() : null);
      m.put("ranges", p.ranges().stream().map(r -> Map.of("start", r.start(), "end", r.end())).toList());
      m.put("would_drop", p.wouldDrop().stream().map(v -> v.table()).toList());
      Output.json(Output.out, m);
      return NostosCli.OK;
    }
    Output.out.printf("dataset %s: next version v%d (current: %s)%n", p.dataset(), p.nextVersion(),
        p.current().isPresent() ? "v" + p.current().getAsInt() : "none");
    Output.out.println("create: " + p.createTable());
    Output.out.printf("token ranges: %d%n", p.ranges().size());
    for (TokenRange r : p.ranges()) {
      Output.out.println("  " + r);
    }
    Output.out.println(p.wouldDrop().isEmpty() ? "drop: nothing"
        : "drop after promotion: " + String.join(", ", p.wouldDrop().stream().map(v -> v.keyspace() + "." + v.table()).toList()));
    return NostosCli.OK;
  }
}
