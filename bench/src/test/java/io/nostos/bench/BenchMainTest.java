package io.nostos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchMainTest {
  @Test
  void anUnknownVariantIsRefusedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new BenchMain()).setErr(new PrintWriter(err))
        .execute("load", "--variants", "driver,stream", "--dir", "/nonexistent/nostos-bench");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("--variants: unknown stream; choose from nostos-flink, nostos-direct, "
        + "nostos-daemon, driver, dsbulk, writer (writer also streams its files)");
  }
}
