package io.nostos.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * A runner config ({@code runner-configs/*.yaml}): which Beam runner and its options. Job specs
 * never hold runner settings; the same spec runs on any runner config.
 *
 * <pre>
 * runner: FlinkRunner
 * options:
 *   flinkMaster: "[local]"
 *   parallelism: 2
 * </pre>
 * {@code ${NAME}} in option values is replaced by the environment variable NAME.
 */
public final class RunnerConfig {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  /**
   * The region given to a run that touches no s3:// location and has none configured. Without
   * one, Beam's S3 file system asks the AWS default chain, whose last resort, the EC2 instance
   * metadata service, retries for about a second on any machine that is not in EC2.
   */
  static final String NOMINAL_AWS_REGION = "us-east-1";

  private final String name;
  private final List<String> args;

  private RunnerConfig(String name, List<String> args) {
    this.name = name;
    this.args = List.copyOf(args);
  }

  /**
   * The default when no runner config is given: Flink's batch engine on an in-process
   * mini-cluster, which sorts and spills its shuffles to disk, so loads larger than the heap
   * complete (1M rows at -Xmx1g). Same as {@code runner-configs/flink-local.yaml}.
   */
  public static RunnerConfig defaultLocal() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    return new RunnerConfig("flink-local (built in)", List.of("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=" + cores, "--objectReuse=true", "--fasterCopy=true", "--flinkConfDir=" + localFlinkConf()));
  }

  /** A directory holding the local runner's flink-conf.yaml (runner-configs/flink-conf/), written once. */
  private static String localFlinkConf() {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "nostos-flink-conf-1");
    Path file = dir.resolve("flink-conf.yaml");
    try (java.io.InputStream in = RunnerConfig.class.getResourceAsStream("flink-conf.yaml")) {
      byte[] conf = in.readAllBytes();
      if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), conf)) {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "flink-conf", ".tmp");
        Files.write(tmp, conf);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return dir.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write the local Flink configuration to " + dir, e);
    }
  }

  /**
   * DirectRunner in this JVM, as {@code runner-configs/direct.yaml}: starts fastest, but holds
   * each step's data in memory. For tests and small datasets.
   */
  public static RunnerConfig direct() {
    return new RunnerConfig("direct (built in)", List.of("--runner=DirectRunner", "--targetParallelism="
        + Math.max(2, Runtime.getRuntime().availableProcessors()), "--enforceImmutability=false",
        "--enforceEncodability=false"));
  }

  /** The runner config in {@code file}, with {@code ${VAR}} taken from this process's environment. */
  public static RunnerConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** The runner config in {@code file}, with {@code ${VAR}} taken from {@code env}. */
  @SuppressWarnings("unchecked")
  public static RunnerConfig load(Path file, Map<String, String> env) {
    Object doc;
    try {
      doc = new Yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read runner config " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("runner config " + file + " is not valid YAML: " + e.getMessage(), e);
    }
    if (!(doc instanceof Map) || !(((Map<?, ?>) doc).get("runner") instanceof String)) {
      throw new IllegalArgumentException("runner config " + file + " needs 'runner: DirectRunner' or 'runner: FlinkRunner'");
    }
    Map<String, Object> m = (Map<String, Object>) doc;
    for (String k : m.keySet()) {
      if (!k.equals("runner") && !k.equals("options")) {
        throw new IllegalArgumentException("runner config " + file + ": unknown key '" + k + "' (use runner and options)");
      }
    }
    List<String> args = new ArrayList<>();
    args.add("--runner=" + m.get("runner"));
    Object opts = m.get("options");
    if (opts != null && !(opts instanceof Map)) {
      throw new IllegalArgumentException("runner config " + file + ": options must be a mapping of option: value");
    }
    if (opts != null) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) opts).entrySet()) {
        String value = substitute(String.valueOf(e.getValue()), file, env);
        if (e.getKey().equals("flinkConfDir") && !Path.of(value).isAbsolute()) {
          value = file.toAbsolutePath().getParent().resolve(value).normalize().toString();
        }
        args.add("--" + e.getKey() + "=" + value);
      }
    }
    return new RunnerConfig(file.toString(), args);
  }

  private static String substitute(String s, Path file, Map<String, String> env) {
    Matcher m = VAR.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException("runner config " + file + " uses ${" + m.group(1)
            + "} but that environment variable is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  public String name() {
    return name;
  }

  public List<String> args() {
    return args;
  }

  /** This config with {@code extraArgs} added (they win over the config's own). */
  public RunnerConfig withArgs(List<String> extraArgs) {
    List<String> all = new ArrayList<>(args);
    all.addAll(extraArgs);
    return new RunnerConfig(name, all);
  }

  /**
   * Pipeline options from this config plus {@code extraArgs} (which win), plus S3 settings from
   * the environment where the config has none: {@code NOSTOS_S3_ENDPOINT} (an S3-compatible
   * server), {@code AWS_REGION} and {@code NOSTOS_S3_PATH_STYLE=true}. Credentials come from the
   * AWS default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profile, instance
   * role) unless the config sets {@code awsCredentialsProvider}.
   */
  public PipelineOptions options(List<String> extraArgs) {
    return options(extraArgs, true);
  }

  /**
   * As {@link #options(List)}; when {@code usesS3} is false (the run reads and writes no s3://
   * location) and no region is configured, the region is {@link #NOMINAL_AWS_REGION} instead of
   * one looked up from the AWS default chain.
   */
  public PipelineOptions options(List<String> extraArgs, boolean usesS3) {
    List<String> all = new ArrayList<>(args);
    all.addAll(extraArgs);
    all.addAll(s3FromEnvironment(System.getenv(), all));
    if (!usesS3) {
      addUnlessSet(all, all, "awsRegion", NOMINAL_AWS_REGION);
    }
    try {
      return OptionsFactory.parse(all);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("runner config " + name + ": " + e.getMessage()
          + " (runner-configs/*.yaml show the options each runner takes)", e);
    }
  }

  /**
   * Beam's options registry, initialized on first use rather than when this class loads: that
   * takes seconds (every registered options interface is checked), and a run opens its Cassandra
   * session meanwhile.
   */
  private static final class OptionsFactory {
    static {
      // Beam's aws2 module registers AwsOptions but not S3Options (endpoint, path style, SSE...).
      PipelineOptionsFactory.register(S3Options.class);
    }

    static PipelineOptions parse(List<String> args) {
      return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation().create();
    }
  }

  /** The S3 options {@code env} asks for that {@code args} do not already set. */
  static List<String> s3FromEnvironment(Map<String, String> env, List<String> args) {
    List<String> out = new ArrayList<>();
    addUnlessSet(out, args, "endpoint", env.get("NOSTOS_S3_ENDPOINT"));
    addUnlessSet(out, args, "awsRegion", env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION")));
    if ("true".equalsIgnoreCase(env.get("NOSTOS_S3_PATH_STYLE"))) {
      addUnlessSet(out, args, "s3ClientFactoryClass", S3CompatibleClientBuilderFactory.class.getName());
    }
    return out;
  }

  private static void addUnlessSet(List<String> out, List<String> args, String option, String value) {
    if (value != null && !value.isBlank() && args.stream().noneMatch(a -> a.startsWith("--" + option + "="))) {
      out.add("--" + option + "=" + value);
    }
  }
}
