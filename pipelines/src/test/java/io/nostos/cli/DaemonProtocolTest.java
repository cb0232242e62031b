package io.nostos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonProtocolTest {
  @Test
  void aRequestReadsBackAsWritten() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin");
    env.put("BIG", "x".repeat(100_000));  // longer than writeUTF allows
    DaemonProtocol.Request r = new DaemonProtocol.Request("t0k", "run", "build 1", "/jdk", "/home/u",
        List.of("a.yaml", "--json", "ü"), env);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    r.writeTo(new DataOutputStream(bytes));
    assertThat(DaemonProtocol.Request.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
        .isEqualTo(r);
  }

  @Test
  void somethingElseIsNotReadAsARequest() {
    byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> DaemonProtocol.Request.readFrom(new DataInputStream(new ByteArrayInputStream(http))))
        .isInstanceOf(IOException.class);
  }

  @Test
  void outputFramesThenTheExitCodeInTheOrderWritten() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    PrintStream o = new PrintStream(DaemonProtocol.frames(out, DaemonProtocol.STDOUT), true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(DaemonProtocol.frames(out, DaemonProtocol.STDERR), true, StandardCharsets.UTF_8);
    e.println("progress");
    o.println("{\"state\": \"current\"}");
    DaemonProtocol.writeExit(out, 258);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    StringBuilder seen = new StringBuilder();
    DaemonProtocol.Frame f;
    while ((f = DaemonProtocol.readFrame(in)) != null) {
      seen.append((char) f.kind()).append(':')
          .append(f.kind() == DaemonProtocol.EXIT ? Integer.toString(f.exitCode()) : new String(f.data(),
              StandardCharsets.UTF_8));
    }
    assertThat(seen.toString()).isEqualTo("E:progress\nO:{\"state\": \"current\"}\nX:258");
  }
}
