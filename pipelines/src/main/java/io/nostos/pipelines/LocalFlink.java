package io.nostos.pipelines;

import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.api.java.ExecutionEnvironment;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.Reference;

/**
 * Beam's Flink local runner ({@code flinkMaster: "[local]"}) with Flink's RPC system loaded once
 * per process instead of once per job.
 *
 * <p>Each local job runs on a mini-cluster of its own, as with Beam's {@code [local]}, and with the
 * same configuration (the runner's {@code flinkConfDir}, managed memory as a fraction of the free
 * heap, measured at the process's first job, no leaked-class-loader check). What differs is where
 * the mini-cluster gets its RPC system: Flink loads it, about 1,900 classes of Akka and Scala, in
 * a class loader of its own, from a jar it first extracts to a temporary file, and drops it when
 * the mini-cluster closes. A process that runs
 * several loads (the daemon, {@code nostos run a.yaml b.yaml}, the tests) then loads, verifies and
 * JIT-compiles those classes again for every load. Here every mini-cluster borrows one RPC system,
 * loaded on first use and closed when the process exits.
 *
 * <p>While a {@link Scope} is open, Flink's context environment is this one, for the thread that
 * entered it (Flink looks up a per-thread environment first, so runs on other threads that entered
 * their own scopes each get theirs): {@code Pipeline.run()} must be called on that thread, as Beam's
 * FlinkRunner creates the environment there. Safe to enter again for the next run.
 */
final class LocalFlink {
  private static final String LOCAL = "[local]";
  private static final String AUTO = "[auto]";

  private LocalFlink() {}

  /**
   * Prepares {@code options} to run on the shared RPC system when they ask for Flink's local
   * runner, until the returned scope closes; for any other runner or master nothing changes.
   */
  static Scope enter(PipelineOptions options) {
    if (!FlinkRunner.class.equals(options.getRunner())) {
      return () -> {};
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!LOCAL.equals(flink.getFlinkMaster())) {
      return () -> {};
    }
    String confDir = flink.getFlinkConfDir();
    Configuration conf = confDir == null || confDir.isEmpty() ? GlobalConfiguration.loadConfiguration()
        : GlobalConfiguration.loadConfiguration(confDir);  // as Beam: without a directory, $FLINK_CONF_DIR
    // As Beam's [local]: managed memory as a fraction of the free heap, and no leak check (Beam's
    // classes outlive the job's class loader by design).
    if (!conf.containsKey(TaskManagerOptions.MANAGED_MEMORY_SIZE.key())) {
      long managed = (long) (conf.get(TaskManagerOptions.MANAGED_MEMORY_FRACTION) * FreeHeap.AT_FIRST_JOB);
      conf.setString(TaskManagerOptions.MANAGED_MEMORY_SIZE.key(), String.valueOf(managed));
    }
    if (!conf.containsKey("classloader.check-leaked-classloader")) {
      conf.setBoolean("classloader.check-leaked-classloader", false);
    }
    conf.set(DeploymentOptions.TARGET, "local");
    conf.set(DeploymentOptions.ATTACHED, true);
    flink.setFlinkMaster(AUTO);  // Beam then asks Flink for the context environment installed here
    Environment.install(conf);
    return () -> {
      Environment.uninstall();
      flink.setFlinkMaster(LOCAL);
    };
  }

  /** Ends what {@link #enter} set up; closing twice is harmless. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * The free heap when the process's first local job starts, measured as Beam's {@code [local]}
   * measures it for every job: after a full collection ({@code System.gc()}), which stops every
   * thread of the process for 0.1 s or more with a heap of a few GiB. Measured once, so that later
   * jobs (the daemon's loads) neither pay that pause nor get a managed memory size that depends on
   * what the previous job left in the heap.
   */
  private static final class FreeHeap {
    static final long AT_FIRST_JOB = EnvironmentInformation.getSizeOfFreeHeapMemoryWithDefrag();
  }

  /** The managed memory size that {@link #enter} configures for a local job; for tests. */
  static String managedMemory(PipelineOptions options) {
    try (Scope scope = enter(options)) {
      return ExecutionEnvironment.getExecutionEnvironment().getConfiguration()
          .getString(TaskManagerOptions.MANAGED_MEMORY_SIZE.key(), null);
    }
  }

  /** Flink's RPC system, loaded on first use; closed (its extracted jar deleted) when the JVM exits. */
  private static final class SharedRpc {
    static final RpcSystem RPC = load();

    private static RpcSystem load() {
      RpcSystem rpc = RpcSystem.load(new Configuration());
      Runtime.getRuntime().addShutdownHook(new Thread(rpc::close, "nostos-flink-rpc-close"));
      return rpc;
    }
  }

  /** A batch environment whose jobs run on a new mini-cluster that borrows {@link SharedRpc#RPC}. */
  private static final class Environment extends ExecutionEnvironment {
    Environment(Configuration conf) {
      super(new SharedRpcExecutors(conf), conf, LocalFlink.class.getClassLoader());  // as Beam's [local]
    }

    static void install(Configuration conf) {
      initializeContextEnvironment(() -> new Environment(conf));
    }

    static void uninstall() {
      resetContextEnvironment();
    }
  }

  /** The one executor of {@link Environment}: Flink's local executor with a shared-RPC mini-cluster. */
  private record SharedRpcExecutors(Configuration conf) implements PipelineExecutorServiceLoader {
    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
      return new PipelineExecutorFactory() {
        @Override
        public String getName() {
          return "nostos-local";
        }

        @Override
        public boolean isCompatibleWith(Configuration c) {
          return true;
        }

        @Override
        public PipelineExecutor getExecutor(Configuration c) {
          return LocalExecutor.createWithFactory(conf,
              clusterConf -> new MiniCluster(clusterConf, () -> Reference.borrowed(SharedRpc.RPC)));
        }
      };
    }

    @Override
    public Stream<String> getExecutorNames() {
      return Stream.of("nostos-local");
    }
  }
}
