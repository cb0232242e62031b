package io.nostos.cli;

import io.nostos.pipelines.spec.Spec;
import io.nostos.pipelines.spec.SpecException;
import io.nostos.pipelines.spec.SpecLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Checks a spec without connecting to anything. Exit 0 if valid, 2 with file:line:col messages if not.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SPEC", description = "The job spec (YAML).")
  Path spec;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (!json) {
      Spec s = SpecLoader.load(spec);
      Output.out.printf("%s: valid (dataset %s, layout %s, key %s, %d generators, keeps %d versions)%n",
          spec, s.dataset(), s.layout().name().toLowerCase(), s.keyNames(), s.generators().size(), s.retainVersions());
      return NostosCli.OK;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", spec.toString());
    try {
      Spec s = SpecLoader.load(spec);
      m.put("valid", true);
      m.put("dataset", s.dataset());
      m.put("problems", List.of());
      Output.json(Output.out, m);
      return NostosCli.OK;
    } catch (SpecException e) {
      m.put("valid", false);
      m.put("problems", e.problems());
      Output.json(Output.out, m);
      return NostosCli.USAGE;
    }
  }
}
