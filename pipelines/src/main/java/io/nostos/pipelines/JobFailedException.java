package io.nostos.pipelines;

/** A run failed; the message says why. The current version was not changed. */
public class JobFailedException extends RuntimeException {
  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
