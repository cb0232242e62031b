package io.nostos.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;

/** Prints results as text or, with {@code --json}, as JSON on stdout. */
final class Output {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .findAndRegisterModules();

  /**
   * The real standard output, for results only. While a command runs, {@code System.out} points
   * at stderr: Beam's JdbcIO prints the table name it parses from every query to stdout
   * (JdbcUtil.extractTableFromReadQuery), which would corrupt {@code --json} output.
   */
  static PrintStream out = System.out;

  private Output() {}

  /** {@code value} as indented JSON. */
  static void json(PrintStream out, Object value) {
    print(out, value, true);
  }

  /** {@code value} as JSON on one line (JSON Lines: several results, one per line). */
  static void jsonLine(PrintStream out, Object value) {
    print(out, value, false);
  }

  private static void print(PrintStream out, Object value, boolean indented) {
    try {
      out.println(indented ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value)
          : JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getMessage(), e);
    }
  }
}
