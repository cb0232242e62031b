package io.nostos.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Hands a command to the running daemon ({@code nostos daemon start}) and relays its output and
 * exit code. The {@code nostos} script runs {@code nostos run} through {@link #main} when a daemon's
 * info file exists; exit code {@link #NOT_SERVED} tells it to run the load in a JVM of its own
 * instead (no daemon answers, or it cannot run this load as this shell would: see
 * {@link DaemonFit}). JDK classes only, so this JVM starts in a fraction of a second.
 *
 * <p>If this process is stopped (Ctrl-C) while the daemon runs its load, the daemon exits, which
 * stops the load as Ctrl-C stops one in a JVM of its own: the current version stays as it was.
 */
public final class DaemonClient {
  /** Exit code: the daemon did not run the command; run it here. */
  public static final int NOT_SERVED = 99;

  private DaemonClient() {}

  /** Usage: {@code DaemonClient run ARGS...}, with {@code -Dnostos.home}. */
  public static void main(String[] args) {
    if (args.length == 0 || !args[0].equals("run")) {
      System.exit(NOT_SERVED);
    }
    System.exit(call(DaemonInfo.home(), "run", Arrays.asList(args).subList(1, args.length), System.out, System.err));
  }

  /**
   * Sends {@code command} ({@code run}, {@code status} or {@code stop}) to the daemon of Nostos home
   * {@code home}, as given from this process (its working directory, environment and JDK), copying
   * what it prints to {@code out} and {@code err}. Returns the command's exit code, or
   * {@link #NOT_SERVED} with the reason on {@code err} (nothing when there is no daemon at all).
   */
  static int call(Path home, String command, List<String> args, PrintStream out, PrintStream err) {
    Path file = DaemonInfo.file(home);
    Optional<DaemonInfo> found = DaemonInfo.read(file);
    if (found.isEmpty()) {
      return NOT_SERVED;
    }
    DaemonInfo info = found.get();
    boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
    if (!alive) {
      err.printf("nostos: the daemon (pid %d) is gone%s%n", info.pid(), instead(command));
      info.deleteIfStill(file);
      return NOT_SERVED;
    }
    Invocation here = Invocation.process();
    DaemonProtocol.Request request = new DaemonProtocol.Request(info.token(), command, DaemonInfo.buildOf(),
        System.getProperty("java.home"), here.cwd().toString(), args, here.env());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), info.port()), 5_000);
      DataOutputStream to = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
      DataInputStream from = new DataInputStream(new BufferedInputStream(s.getInputStream()));
      request.writeTo(to);
      DaemonProtocol.Frame f;
      boolean started = false;
      while ((f = DaemonProtocol.readFrame(from)) != null) {
        switch (f.kind()) {
          case DaemonProtocol.STARTED -> {
            started = true;
            err.write(f.data(), 0, f.data().length);
          }
          case DaemonProtocol.STDOUT -> out.write(f.data(), 0, f.data().length);
          case DaemonProtocol.STDERR -> err.write(f.data(), 0, f.data().length);
          case DaemonProtocol.EXIT -> {
            out.flush();
            return f.exitCode();
          }
          case DaemonProtocol.REFUSED -> {
            err.printf("nostos: not using the daemon (pid %d): %s%s (restart it with: nostos daemon stop &&"
                + " nostos daemon start)%n", info.pid(), new String(f.data(), StandardCharsets.UTF_8),
                instead(command));
            return NOT_SERVED;
          }
          default -> throw new IOException("unknown frame " + (char) f.kind());
        }
      }
      if (command.equals("run") && !started) {
        err.printf("nostos: the daemon (pid %d) stopped before it began this load%s%n", info.pid(), instead(command));
        return NOT_SERVED;
      }
      err.printf("nostos: the daemon (pid %d) stopped before %s finished; see %s%n", info.pid(), command,
          DaemonInfo.log(home));
      return NostosCli.FAILED;
    } catch (IOException e) {
      err.printf("nostos: cannot talk to the daemon (pid %d, port %d): %s%s%n", info.pid(), info.port(),
          e.getMessage(), instead(command));
      return NOT_SERVED;
    }
  }

  private static String instead(String command) {
    return command.equals("run") ? "; running in this process" : "";
  }
}
