package io.nostos.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;

/** Prints results as text or, with {@code --json}, as one JSON document on stdout. */
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

  static void json(PrintStream out, Object value) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getMessage(), e);
    }
  }
}
