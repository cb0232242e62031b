package io.nostos.serving;

/** An HTTP error with a message for the caller: 400, 401, 403, 404, 503. */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  static ApiException badRequest(String m) {
    return new ApiException(400, m);
  }

  static ApiException notFound(String m) {
    return new ApiException(404, m);
  }
}
