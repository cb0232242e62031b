package io.nostos.pipelines;

/** Turns an exception from a pipeline run into the one sentence a user needs. */
final class Failures {
  private Failures() {}

  /** The innermost message that is not just a wrapper's restatement of its cause. */
  static String describe(Throwable t) {
    String best = t.getMessage() == null ? t.toString() : t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      boolean wrapper = m == null || (c.getCause() != null && m.equals(c.getCause().toString()));
      if (!wrapper) {
        best = m;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return best;
  }
}
