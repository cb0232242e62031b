package io.nostos.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad settings are refused before the server connects anywhere. */
class ServingMainTest {
  private static String refusal(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServingMain()).setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(2);
    return err.toString();
  }

  @Test
  void negativeSizesAreUsageErrors() {
    assertThat(refusal("--cache-mib", "-1")).startsWith("--cache-mib must be 0 (off) or more, not -1");
    assertThat(refusal("--io-threads", "-2")).startsWith("--io-threads must be 1 or more (0: the driver's default), not -2");
  }

  @Test
  void helpRendersEveryOptionWithoutFormatWarnings() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    String usage;
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      usage = new CommandLine(new ServingMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    } finally {
      System.setErr(stderr);
    }
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(usage.replaceAll("\\s+", " ")).contains("(default: 1)").contains("served 23-29% more reads");
  }
}
