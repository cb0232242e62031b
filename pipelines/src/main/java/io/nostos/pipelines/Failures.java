package io.nostos.pipelines;

/** Turns an exception from a pipeline run into the sentence a user needs. */
final class Failures {
  private Failures() {}

  /**
   * The outermost message that says something of its own. Skipped: wrappers whose message is just
   * {@code cause.toString()}, and the runners' own exceptions around a failed step ("Pipeline
   * execution failed", "Job execution failed.", "Exception in chained task …").
   */
  static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      boolean wrapper = m == null || (c.getCause() != null && m.equals(c.getCause().toString()));
      if (!wrapper && !(c.getCause() != null && fromRunner(c))) {
        return m;
      }
    }
    return t.toString();
  }

  private static boolean fromRunner(Throwable c) {
    String type = c.getClass().getName();
    return type.startsWith("org.apache.flink.") || type.startsWith("org.apache.beam.runners.")
        || type.startsWith("org.apache.beam.sdk.util.UserCodeException")
        || "Pipeline execution failed".equals(c.getMessage());
  }
}
