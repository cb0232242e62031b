package io.nostos.cli;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import io.nostos.catalog.CatalogException;
import io.nostos.pipelines.JobFailedException;
import io.nostos.pipelines.spec.SpecException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nostos} command line.
 *
 * <p>Exit codes: 0 success; 1 the job or operation failed (the current version is unchanged);
 * 2 bad usage or an invalid spec.
 */
@Command(
    name = "nostos",
    mixinStandardHelpOptions = true,
    version = "nostos 0.1.0",
    description = {
        "Moves data products from a warehouse into Cassandra as verified, versioned tables.",
        "",
        "Each run of a spec writes sorted SSTables per token range, streams them into",
        "a new table <dataset>_v<N>, verifies it, makes it current atomically and",
        "drops the versions beyond retention."},
    footer = {"", "Exit codes: 0 ok, 1 job failed (current version unchanged), 2 bad usage or bad spec.",
        "Start with: nostos demo (starts a local node), then nostos versions user_profile.",
        "Serve documents over HTTP: nostos serve --help (runs in its own JVM)."},
    subcommands = {
        RunCommand.class, ValidateCommand.class, PlanCommand.class, VersionsCommand.class,
        PromoteCommand.class, RollbackCommand.class, DevCommand.class, DemoCommand.class, DaemonCommand.class,
        CommandLine.HelpCommand.class})
public final class NostosCli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (tests call this). */
  public static int execute(String... args) {
    return execute(Invocation.process(), System.out, System.err, args);
  }

  /**
   * Runs the CLI as given from {@code inv}, printing results to {@code out} and everything else to
   * {@code err}; returns its exit code. The streams become the process's own while it runs, so one
   * such command runs at a time (the daemon runs one load at a time).
   */
  static int execute(Invocation inv, PrintStream out, PrintStream err, String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream results = Output.out;
    Invocation before = Invocation.enter(inv);
    Output.out = out;
    System.setErr(err);
    System.setOut(err);
    try {
      return run(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
      Output.out = results;
      Invocation.restore(before);
    }
  }

  private static int run(String... args) {
    CommandLine cl = new CommandLine(new NostosCli());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (e instanceof SpecException) {
        err.println(e.getMessage());
        err.flush();
        return USAGE;
      }
      if (e instanceof UsageException) {
        err.println("error: " + e.getMessage());
        err.flush();
        return USAGE;
      }
      if (e instanceof AllNodesFailedException) {
        String where = ((AllNodesFailedException) e).getAllErrors().keySet().stream()
            .map(n -> n.getEndPoint().toString().replaceFirst("^/", "")).collect(java.util.stream.Collectors.joining(", "));
        err.println("error: cannot reach Cassandra at " + where + ".");
        err.println("Start the local node with 'nostos dev up', or pass --cassandra host:port.");
        err.flush();
        return FAILED;
      }
      if (e instanceof JobFailedException || e instanceof CatalogException || e instanceof IllegalStateException
          || e instanceof IllegalArgumentException) {
        err.println("error: " + e.getMessage());
        err.flush();
        return FAILED;
      }
      err.println("error: " + e);
      if (Invocation.current().env().get("NOSTOS_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set NOSTOS_DEBUG=1 for the stack trace)");
      }
      err.flush();
      return FAILED;
    });
    cl.setOut(new PrintWriter(Output.out, true));
    return cl.execute(args);
  }

  /** Wrong arguments that picocli cannot see (exit code 2). */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
