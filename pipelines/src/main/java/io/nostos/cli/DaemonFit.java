package io.nostos.cli;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a daemon may run a client's load as the client itself would: the same build of Nostos,
 * the same JDK, and the same values of every environment variable that changes what a run does
 * outside the spec ({@code NOSTOS_*}, such as {@code NOSTOS_CASSANDRA} and {@code NOSTOS_JAVA_OPTS},
 * and {@code AWS_*}, read by the AWS SDK). Variables a spec or runner config names are taken from
 * the client's environment, so they need not match. Pure.
 */
final class DaemonFit {
  /** {@code NOSTOS_*} variables that only the client side reads. */
  private static final Set<String> CLIENT_ONLY = Set.of("NOSTOS_CDS", "NOSTOS_DEBUG",
      "NOSTOS_DAEMON");

  private DaemonFit() {}

  /** Why the daemon must not serve this client, or empty if it may. Names variables, never values. */
  static Optional<String> whyNot(String daemonBuild, String daemonJavaHome, Map<String, String> daemonEnv,
      String clientBuild, String clientJavaHome, Map<String, String> clientEnv) {
    if (!daemonBuild.equals(clientBuild)) {
      return Optional.of("the daemon runs another build of Nostos");
    }
    if (!daemonJavaHome.equals(clientJavaHome)) {
      return Optional.of("the daemon runs on " + daemonJavaHome + ", this shell's JDK is " + clientJavaHome);
    }
    TreeSet<String> differ = new TreeSet<>();
    for (Map<String, String> env : List.of(daemonEnv, clientEnv)) {
      for (String name : env.keySet()) {
        if (relevant(name) && !Objects.equals(daemonEnv.get(name), clientEnv.get(name))) {
          differ.add(name);
        }
      }
    }
    if (!differ.isEmpty()) {
      return Optional.of("the daemon was started with other values of " + String.join(", ", differ));
    }
    return Optional.empty();
  }

  static boolean relevant(String name) {
    return (name.startsWith("NOSTOS_") || name.startsWith("AWS_")) && !CLIENT_ONLY.contains(name);
  }
}
