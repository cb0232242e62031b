package io.nostos.pipelines.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A job spec is invalid. Each problem has the file, line and column (1-based) and says what to
 * write instead; {@link #getMessage()} lists them one per line as {@code file:line:col: message}.
 */
public class SpecException extends RuntimeException {
  /** One problem at one place in a spec file. */
  public record Problem(String file, int line, int column, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ":" + column + ": " + message;
    }
  }

  private final List<Problem> problems;

  public SpecException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
