package io.nostos.pipelines;

/** Turns an exception from a pipeline run into the sentence a user needs. */
final class Failures {
  private Failures() {}

  /**
   * The outermost message that says something of its own: runners wrap user exceptions in
   * exceptions whose message is just {@code cause.toString()}; those are skipped.
   */
  static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof BadRowsStage.TooManyBadRowsException) {
        return c.getMessage();  // runners such as Flink wrap it in messages of their own
      }
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      boolean wrapper = m == null || (c.getCause() != null && m.equals(c.getCause().toString()));
      if (!wrapper) {
        return m;
      }
    }
    return t.toString();
  }
}
