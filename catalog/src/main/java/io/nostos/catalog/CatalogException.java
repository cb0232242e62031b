package io.nostos.catalog;

/** A catalog operation could not be done; the message says why and what to do. */
public class CatalogException extends RuntimeException {
  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
