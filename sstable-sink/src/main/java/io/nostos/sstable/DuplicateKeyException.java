package io.nostos.sstable;

/** Two input rows have the same primary key; the message names the key and what to do. */
public class DuplicateKeyException extends RuntimeException {
  public DuplicateKeyException(String message) {
    super(message);
  }
}
