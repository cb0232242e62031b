package io.nostos.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running daemon can be reached: the file {@code daemon/daemon.properties} under the
 * Nostos home, written by the daemon when it is ready (readable by its user only, since it holds
 * the token) and removed when it exits. JDK classes only, like the client that reads it.
 *
 * @param pid the daemon's process
 * @param port its loopback port
 * @param token the secret every request must carry
 * @param build the build of Nostos it runs ({@link #buildOf})
 * @param javaHome the JDK it runs on
 * @param startedMillis when it started
 */
record DaemonInfo(long pid, int port, String token, String build, String javaHome, long startedMillis) {
  /** The info file of the daemon of Nostos home {@code home}. */
  static Path file(Path home) {
    return home.resolve("daemon").resolve("daemon.properties");
  }

  /** The daemon's log (its stdout and stderr), next to its info file. */
  static Path log(Path home) {
    return file(home).resolveSibling("daemon.log");
  }

  /** The Nostos home this JVM was given ({@code -Dnostos.home}, else {@code .nostos}). */
  static Path home() {
    String home = System.getProperty("nostos.home");
    return (home != null ? Paths.get(home) : Paths.get(".nostos")).toAbsolutePath().normalize();
  }

  /** The info file's contents, if there is one that can be read. */
  static Optional<DaemonInfo> read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(new DaemonInfo(Long.parseLong(p.getProperty("pid")), Integer.parseInt(p.getProperty("port")),
          p.getProperty("token"), p.getProperty("build"), p.getProperty("java_home"),
          Long.parseLong(p.getProperty("started_millis"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();  // absent, or being written: there is no daemon to use
    }
  }

  /**
   * Deletes {@code file} if it still describes this daemon (not one started since). Lives here, in
   * a class every daemon has loaded, because the daemon's shutdown hook calls it: a class first
   * loaded then would come from the jar as it is by then, maybe rebuilt (seen: a daemon stopped
   * after `mvn install` failed with NoClassDefFoundError and left its file).
   */
  void deleteIfStill(Path file) {
    try {
      if (read(file).map(i -> i.pid() == pid).orElse(false)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // Left in place, it is found gone again next time.
    }
  }

  /** Writes this info to {@code file}, readable by this user only, in one rename. */
  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + "." + pid + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("port", Integer.toString(port));
    p.setProperty("token", token);
    p.setProperty("build", build);
    p.setProperty("java_home", javaHome);
    p.setProperty("started_millis", Long.toString(startedMillis));
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "the Nostos daemon (nostos daemon status); removed when it exits");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * This JVM's build of Nostos: where its classes come from, with that jar's size and time (or, for
   * a classes directory, this class file's). A rebuild changes it, so a daemon of the old build
   * refuses runs instead of running old code.
   */
  static String buildOf() {
    try {
      Path where = Paths.get(DaemonInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path stamped = Files.isDirectory(where)
          ? where.resolve(DaemonInfo.class.getName().replace('.', '/') + ".class") : where;
      return where + " " + Files.size(stamped) + " " + Files.getLastModifiedTime(stamped).toMillis();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "unknown";
    }
  }
}
