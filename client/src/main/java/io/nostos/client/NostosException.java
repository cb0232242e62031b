package io.nostos.client;

/**
 * A request to the Nostos server failed. {@link #status()} is the HTTP status (0 when the server
 * could not be reached); the message is the server's explanation, e.g. {@code unknown field colour}.
 */
public class NostosException extends RuntimeException {
  private final int status;

  public NostosException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
