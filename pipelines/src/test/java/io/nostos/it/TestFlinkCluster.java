package io.nostos.it;

import io.nostos.sstable.ClientJvmFlags;
import io.nostos.transforms.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Flink 1.19 session cluster: a JobManager and a TaskManager, each in a process of its own,
 * on free loopback ports, started from this JVM's classpath. The TaskManager therefore has
 * Nostos's classes on its own classpath and resolves a job's classes parent-first, as a cluster
 * with the Nostos jar in Flink's {@code lib/} does, so a job needs to stage only a token jar.
 */
final class TestFlinkCluster implements AutoCloseable {
  private static final String REGISTERED = "Successful registration at resource manager";

  private final Path dir;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();

  private TestFlinkCluster(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /** Starts the cluster under {@code dir} and returns once the TaskManager has registered its 2 slots. */
  static TestFlinkCluster start(Path dir) {
    try {
      Path conf = Files.createDirectories(dir.resolve("conf"));
      TestFlinkCluster c = new TestFlinkCluster(dir, TestProcesses.freePort());
      Files.writeString(conf.resolve("flink-conf.yaml"), String.join("\n",
          "jobmanager.rpc.address: 127.0.0.1", "jobmanager.bind-host: 127.0.0.1",
          "jobmanager.rpc.port: " + TestProcesses.freePort(), "taskmanager.host: 127.0.0.1",
          "taskmanager.bind-host: 127.0.0.1",
          "rest.address: 127.0.0.1", "rest.bind-address: 127.0.0.1", "rest.port: " + c.restPort,
          "jobmanager.memory.process.size: 1024m", "taskmanager.memory.process.size: 2048m",
          "taskmanager.numberOfTaskSlots: 2", "classloader.resolve-order: parent-first",
          "cluster.registration.initial-timeout: 500", "cluster.registration.max-timeout: 500") + "\n");
      // Quiet but for the TaskManager's registration, which says the cluster is ready.
      Files.writeString(conf.resolve("logback.xml"), "<configuration><appender name=\"OUT\" "
          + "class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%-5level %logger{0} - %msg%n</pattern>"
          + "</encoder></appender><logger name=\"org.apache.flink.runtime.taskexecutor.TaskExecutor\" level=\"INFO\"/>"
          + "<root level=\"WARN\"><appender-ref ref=\"OUT\"/></root></configuration>\n");
      c.launch("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "GET_JM_RESOURCE_PARAMS",
          "jobmanager.log");
      Process tm = c.launch("org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "GET_TM_RESOURCE_PARAMS", null);
      TestProcesses.Startup registered = TestProcesses.awaitReady(tm, line -> line.contains(REGISTERED),
          "flink-taskmanager-output");
      Path log = dir.resolve("taskmanager.log");
      Files.writeString(log, registered.before());
      if (!registered.ready()) {
        throw new IllegalStateException("the Flink TaskManager exited before it registered; see " + log + " and "
            + dir.resolve("jobmanager.log") + ":\n" + registered.before());
      }
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Flink cluster under " + dir, e);
    }
  }

  /** The JobManager's REST endpoint, as FlinkRunner's {@code flinkMaster} takes it. */
  String master() {
    return "127.0.0.1:" + restPort;
  }

  /** The cluster's jobs: name → state (FINISHED, FAILED...). */
  @SuppressWarnings("unchecked")
  Map<String, String> jobs() {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + master() + "/jobs/overview")).build(),
          HttpResponse.BodyHandlers.ofString());
      Map<String, String> out = new TreeMap<>();
      for (Object job : (List<Object>) ((Map<String, Object>) Json.read(r.body())).get("jobs")) {
        Map<String, Object> j = (Map<String, Object>) job;
        out.put((String) j.get("name"), (String) j.get("state"));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * Starts {@code mainClass} with the memory flags Flink's own scripts would give it ({@code
   * BashJavaUtils resourceParams}); its output goes to {@code log} under the cluster's directory,
   * or is left to read when {@code log} is null.
   */
  private Process launch(String mainClass, String resourceParams, String log) throws IOException {
    List<String> lines = bashJavaUtils(resourceParams);
    List<String> cmd = new ArrayList<>(List.of(TestProcesses.java()));
    cmd.addAll(Arrays.asList(lines.get(0).trim().split("\\s+")));
    cmd.addAll(ClientJvmFlags.FLAGS);
    cmd.addAll(List.of("-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml"), "-cp", classpath(), mainClass,
        "--configDir", dir.resolve("conf").toString()));
    cmd.addAll(Arrays.asList(lines.get(1).trim().split("\\s+")));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (log != null) {
      pb.redirectOutput(dir.resolve(log).toFile());
    }
    Process p = pb.start();
    processes.add(p);
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    return p;
  }

  /** The two result lines of Flink's BashJavaUtils: JVM flags, then dynamic configuration ({@code -D k=v ...}). */
  private List<String> bashJavaUtils(String command) throws IOException {
    Process p = new ProcessBuilder(TestProcesses.java(), "-cp", classpath(),
        "-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml"),
        "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", dir.resolve("conf").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> results = out.lines().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())).toList();
    if (results.size() != 2) {
      throw new IllegalStateException("Flink's BashJavaUtils " + command + " did not give its 2 result lines:\n" + out);
    }
    return results;
  }

  /** This JVM's classpath (under surefire, a jar whose manifest lists the test classpath). */
  private static String classpath() {
    return System.getProperty("java.class.path");
  }

}
