package io.nostos.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code nostos} client and the daemon say to each other over one loopback connection: one
 * {@link Request}, then frames back — output for stdout and stderr as it is printed, and last
 * either the exit code or why the daemon will not serve the request. JDK classes only, so the
 * client starts in a fraction of a second. A run's frames: {@code S} when the load begins (a
 * line saying so), {@code O} and {@code E} as it prints, {@code X} with its exit code; or {@code R}
 * alone, with why the daemon will not run it.
 */
final class DaemonProtocol {
  static final String MAGIC = "nostos-daemon/1";

  /** Frame kinds. */
  static final byte STARTED = 'S';  // the load began; the data is a line for stderr
  static final byte STDOUT = 'O';
  static final byte STDERR = 'E';
  static final byte EXIT = 'X';
  static final byte REFUSED = 'R';

  private DaemonProtocol() {}

  /**
   * One request.
   *
   * @param token the secret in the daemon's info file (only its user can read it)
   * @param command {@code run}, {@code status} or {@code stop}
   * @param build the client's {@link DaemonInfo#buildOf build}; a daemon of another build refuses runs
   * @param javaHome the JDK the client would run on
   * @param cwd the client's working directory: relative paths in {@code args} are resolved against it
   * @param args for {@code run}, the arguments after {@code run}
   * @param env the client's environment
   */
  record Request(String token, String command, String build, String javaHome, String cwd, List<String> args,
      Map<String, String> env) {
    void writeTo(DataOutputStream out) throws IOException {
      out.writeUTF(MAGIC);
      for (String s : List.of(token, command, build, javaHome, cwd)) {
        out.writeUTF(s);
      }
      out.writeInt(args.size());
      for (String a : args) {
        writeLong(out, a);
      }
      out.writeInt(env.size());
      for (Map.Entry<String, String> e : env.entrySet()) {
        writeLong(out, e.getKey());
        writeLong(out, e.getValue());
      }
      out.flush();
    }

    static Request readFrom(DataInputStream in) throws IOException {
      String magic = in.readUTF();
      if (!magic.equals(MAGIC)) {
        throw new IOException("not a Nostos client of this version (" + magic + ")");
      }
      String token = in.readUTF();
      String command = in.readUTF();
      String build = in.readUTF();
      String javaHome = in.readUTF();
      String cwd = in.readUTF();
      int n = count(in);
      List<String> args = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        args.add(readLong(in));
      }
      int m = count(in);
      Map<String, String> env = new LinkedHashMap<>();
      for (int i = 0; i < m; i++) {
        env.put(readLong(in), readLong(in));
      }
      return new Request(token, command, build, javaHome, cwd, List.copyOf(args), env);
    }
  }

  /** One frame: {@code kind}, then {@code data}'s length and bytes. */
  static void writeFrame(DataOutputStream out, byte kind, byte[] data, int off, int len) throws IOException {
    synchronized (out) {
      out.writeByte(kind);
      out.writeInt(len);
      out.write(data, off, len);
      out.flush();
    }
  }

  /** The last frame of a served request. */
  static void writeExit(DataOutputStream out, int code) throws IOException {
    writeFrame(out, EXIT, ByteBuffer.allocate(4).putInt(code).array(), 0, 4);
  }

  /** A frame read back; {@code null} data never occurs. */
  record Frame(byte kind, byte[] data) {
    int exitCode() {
      return ByteBuffer.wrap(data).getInt();
    }
  }

  /** The next frame, or {@code null} if the connection ended between frames. */
  static Frame readFrame(DataInputStream in) throws IOException {
    int kind = in.read();
    if (kind < 0) {
      return null;
    }
    int len = in.readInt();
    if (len < 0 || len > (64 << 20)) {
      throw new IOException("bad frame length " + len);
    }
    byte[] data = new byte[len];
    in.readFully(data);
    return new Frame((byte) kind, data);
  }

  /** An output stream whose every write becomes one frame of {@code kind}. */
  static OutputStream frames(DataOutputStream out, byte kind) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        writeFrame(out, kind, b, off, len);
      }
    };
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("bad count " + n);
    }
    return n;
  }

  // writeUTF stops at 64 KiB; an environment value can be longer.
  private static void writeLong(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLong(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (16 << 20)) {
      throw new EOFException("bad string length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
