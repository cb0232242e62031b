package io.nostos.transforms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row that a source or generator could not use (a line that does not parse, a value that does
 * not cast, a null key, an oversize document). Bad rows travel in the same collection as good
 * ones, marked by the reserved {@link #REASON} column; a spec pipeline diverts them right after
 * every source and generator, counts them per reason, writes them to the dead-letter location and
 * fails the run before loading when there are more than {@code bad_rows.max}. A generator never
 * receives a bad row from a spec pipeline, so it only needs {@link #of} to emit one.
 */
public final class BadRow {
  /** Reserved column holding the reason, e.g. {@code unparsable_value}. */
  public static final String REASON = "_bad_reason";
  /** Reserved column: what exactly is wrong, and where (file:line, column). */
  public static final String DETAIL = "_bad_detail";
  /** Reserved column: the row as read (a line of text, or the record as JSON). */
  public static final String RAW = "_bad_raw";

  /** A source line that does not parse (wrong field count, bad JSON, unclosed quote). */
  public static final String UNPARSABLE_ROW = "unparsable_row";
  /** A value that does not cast to the type the spec asks for. */
  public static final String UNPARSABLE_VALUE = "unparsable_value";
  /** A key column that is null or empty. */
  public static final String NULL_KEY = "null_key";
  /** A document larger than {@code bad_rows.max_document_bytes}. */
  public static final String OVERSIZE_DOCUMENT = "oversize_document";

  private BadRow() {}

  /** A bad row with its reason, a message saying what is wrong, and the raw row. */
  public static Record of(String reason, String detail, String raw) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(REASON, reason);
    m.put(DETAIL, detail);
    m.put(RAW, raw);
    return Record.of(m);
  }

  /** A bad row whose raw form is {@code row} as JSON. */
  public static Record of(String reason, String detail, Record row) {
    return of(reason, detail, row.toString());
  }

  public static boolean is(Record r) {
    return r.has(REASON);
  }

  public static String reason(Record r) {
    return (String) r.get(REASON);
  }
}
