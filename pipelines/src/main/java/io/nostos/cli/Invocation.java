package io.nostos.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Where a command was given: the working directory that relative paths on its command line mean,
 * and the environment its specs and runner configs take variables from. A command in this process
 * has this process's; a load the daemon runs for a client has the client's.
 */
record Invocation(Path cwd, Map<String, String> env) {
  private static final Invocation PROCESS = new Invocation(Paths.get("").toAbsolutePath(), System.getenv());
  private static volatile Invocation current = PROCESS;

  static Invocation current() {
    return current;
  }

  /** Makes {@code inv} current until the returned value is passed back to {@link #restore}. */
  static Invocation enter(Invocation inv) {
    Invocation before = current;
    current = inv;
    return before;
  }

  static void restore(Invocation before) {
    current = before;
  }

  static Invocation process() {
    return PROCESS;
  }

  /** {@code p} as the command line meant it: relative paths against {@link #cwd}. */
  Path resolve(Path p) {
    return p == null ? null : cwd.resolve(p).normalize();
  }
}
