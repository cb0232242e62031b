package io.nostos.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.SharedSessions;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.Sizes;
import io.nostos.pipelines.spec.Spec;
import io.nostos.pipelines.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Loads a new version of a dataset from its spec and makes it current once verified.",
        "With several specs, loads them one after another in this process, which is faster than one run each: "
            + "the JIT compiler's work is done once, and one connection to the cluster serves all. Every spec is checked before the first load starts; "
            + "the run stops at the first load that fails, and says which specs were not run.",
        "Progress goes to stderr; the result to stdout (with --json and several specs, one JSON object per line)."})
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Job specs (YAML).")
  List<Path> specs;

  @Option(names = "--runner-config", paramLabel = "FILE",
      description = "Runner config (runner-configs/*.yaml). Default: Flink mini-cluster in this JVM on all cores.")
  Path runnerConfig;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where ranges are written before streaming (default: .nostos/work). On a Flink cluster, "
          + "a local path that exists on every TaskManager.")
  Path workDir;

  @Option(names = "--no-daemon",
      description = "Run in this process even if a daemon is up (nostos daemon start); without it, the daemon "
          + "runs the load when it can, and this process prints what it does.")
  boolean noDaemon;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() {
    Invocation inv = Invocation.current();
    List<Spec> loaded = load(specs.stream().map(inv::resolve).toList(), inv.env());
    RunnerConfig rc = runnerConfig == null ? RunnerConfig.defaultLocal()
        : RunnerConfig.load(inv.resolve(runnerConfig), inv.env());
    JobRunner runner = new JobRunner(connection.target(), rc,
        workDir != null ? inv.resolve(workDir) : NostosHome.workDir(), System.err);
    runAll(runner, loaded, json && loaded.size() == 1 ? Format.JSON : json ? Format.JSON_LINES : Format.TEXT);
    return NostosCli.OK;
  }

  /** How outcomes are printed. */
  enum Format { TEXT, JSON, JSON_LINES }

  /**
   * Loads every spec, so that a mistake in the last fails before the first load starts; two specs
   * of the same dataset are refused (the second would replace the first's version at once).
   */
  static List<Spec> load(List<Path> files, Map<String, String> env) {
    List<Spec> loaded = new ArrayList<>();
    Map<String, Path> byDataset = new LinkedHashMap<>();
    for (Path f : files) {
      Spec s = SpecLoader.load(f, env);
      Path other = byDataset.putIfAbsent(s.dataset(), f);
      if (other != null) {
        throw new NostosCli.UsageException(f + " and " + other + " both load dataset " + s.dataset()
            + "; give each dataset one spec per run");
      }
      loaded.add(s);
    }
    return loaded;
  }

  /**
   * Runs {@code specs} one after another with {@code runner}, printing each outcome as it comes.
   * A failed load stops the rest: they are named on stderr, and the failure is rethrown. All the
   * loads use one driver session, held open here between them.
   */
  static void runAll(JobRunner runner, List<Spec> specs, Format format) {
    try (SharedSessions.Lease<CqlSession> betweenLoads = SharedSessions.lease(runner.target())) {
      runEach(runner, specs, format);
    }
  }

  private static void runEach(JobRunner runner, List<Spec> specs, Format format) {
    for (int i = 0; i < specs.size(); i++) {
      JobRunner.Outcome o;
      try {
        o = runner.run(specs.get(i));
      } catch (RuntimeException e) {
        List<Spec> rest = specs.subList(i + 1, specs.size());
        if (!rest.isEmpty()) {
          System.err.println("not run, since " + specs.get(i).dataset() + " failed: "
              + rest.stream().map(s -> s.file().toString()).collect(Collectors.joining(", ")));
        }
        throw e;
      }
      print(o, format);
    }
  }

  static void print(JobRunner.Outcome o, Format format) {
    if (format != Format.TEXT) {
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
      if (format == Format.JSON) {
        Output.json(Output.out, m);
      } else {
        Output.jsonLine(Output.out, m);
      }
    } else {
      Output.out.printf("%s v%d %s: %,d rows, %s in %d ranges, %.1f s (table %s)%n", o.dataset(), o.version(),
          o.state().label(), o.rows(), Sizes.human(o.bytes()), o.ranges(), o.elapsed().toMillis() / 1000.0, o.table());
      if (!o.badRows().isEmpty()) {
        Output.out.printf("  bad rows skipped: %s; written with their reasons to %s/%n", o.badRows(), o.deadLetter());
      }
    }
  }
}
