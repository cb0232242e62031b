package io.nostos.transforms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One typed condition on a column, parsed from text such as {@code score >= 0.5},
 * {@code country in [US, CA]}, {@code status != 'deleted'} or {@code email is not null}.
 *
 * <p>Operators: {@code == != < <= > >= in, not in, contains, is null, is not null}. Literals:
 * numbers, {@code true}/{@code false}, quoted or bare text, and {@code [lists]} for {@code in}.
 * Comparison with a number is numeric, also when the row holds the number as text (CSV); a value
 * that is not a number then is an error ({@link #test} throws). As in SQL, a null value fails
 * every condition except {@code is null} and {@code not in}/{@code !=} also fail on null.
 */
public final class Predicate implements Serializable {
  private static final Pattern SYNTAX = Pattern.compile(
      "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(is\\s+not\\s+null|is\\s+null|not\\s+in\\b|in\\b|contains\\b|==|=|!=|<>|<=|>=|<|>)\\s*(.*?)\\s*",
      Pattern.CASE_INSENSITIVE);

  private enum Op { EQ, NE, LT, LE, GT, GE, IN, NOT_IN, CONTAINS, IS_NULL, NOT_NULL }

  private final String text;
  private final String column;
  private final Op op;
  private final List<Object> literals;

  private Predicate(String text, String column, Op op, List<Object> literals) {
    this.text = text;
    this.column = column;
    this.op = op;
    this.literals = literals;
  }

  /** Parses a condition; the message of the exception says what to write instead. */
  public static Predicate parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a condition; write 'column op value', e.g. "
          + "'score >= 0.5', 'country in [US, CA]' or 'email is not null'");
    }
    String opText = m.group(2).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    Op op = switch (opText) {
      case "==", "=" -> Op.EQ;
      case "!=", "<>" -> Op.NE;
      case "<" -> Op.LT;
      case "<=" -> Op.LE;
      case ">" -> Op.GT;
      case ">=" -> Op.GE;
      case "in" -> Op.IN;
      case "not in" -> Op.NOT_IN;
      case "contains" -> Op.CONTAINS;
      case "is null" -> Op.IS_NULL;
      default -> Op.NOT_NULL;
    };
    String rest = m.group(3);
    List<Object> literals = new ArrayList<>();
    if (op == Op.IS_NULL || op == Op.NOT_NULL) {
      if (!rest.isEmpty()) {
        throw new IllegalArgumentException("'" + text + "': nothing may follow '" + opText + "'");
      }
    } else if (op == Op.IN || op == Op.NOT_IN) {
      if (!rest.startsWith("[") || !rest.endsWith("]") || rest.length() < 3) {
        throw new IllegalArgumentException("'" + text + "': " + opText + " needs a list, e.g. [US, CA]");
      }
      for (String item : rest.substring(1, rest.length() - 1).split(",")) {
        literals.add(literal(item.trim(), text));
      }
    } else {
      literals.add(literal(rest, text));
    }
    return new Predicate(text.trim(), m.group(1), op, List.copyOf(literals));
  }

  private static Object literal(String s, String text) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "': a value is missing after the operator");
    }
    if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
      return s.substring(1, s.length() - 1);
    }
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
    }
    Double d = number(s);
    return d != null ? (Object) d : s;
  }

  private static Double number(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
        return Double.parseDouble(s);
      }
    }
    return null;
  }

  public String column() {
    return column;
  }

  /**
   * Whether {@code r} satisfies the condition.
   *
   * @throws IllegalArgumentException when the column is missing, or the value cannot be compared
   *     with the literal (text where a number is expected)
   */
  public boolean test(Record r) {
    Object v = r.require(column);
    if (op == Op.IS_NULL || op == Op.NOT_NULL) {
      return (v == null) == (op == Op.IS_NULL);
    }
    if (v == null) {
      return false;
    }
    switch (op) {
      case IN:
        return literals.stream().anyMatch(l -> compare(v, l) == 0);
      case NOT_IN:
        return literals.stream().noneMatch(l -> compare(v, l) == 0);
      case CONTAINS:
        Object l = literals.get(0);
        if (v instanceof List) {
          return ((List<?>) v).stream().anyMatch(x -> x != null && compare(x, l) == 0);
        }
        return String.valueOf(v).contains(String.valueOf(l instanceof Double && (Double) l == Math.rint((Double) l)
            ? Long.toString(((Double) l).longValue()) : l));
      default:
        int c = compare(v, literals.get(0));
        return switch (op) {
          case EQ -> c == 0;
          case NE -> c != 0;
          case LT -> c < 0;
          case LE -> c <= 0;
          case GT -> c > 0;
          default -> c >= 0;
        };
    }
  }

  private int compare(Object value, Object literal) {
    if (literal instanceof Double) {
      Double n = number(value);
      if (n == null) {
        throw new IllegalArgumentException("column '" + column + "' is " + Json.write(value)
            + ", not a number, in '" + text + "'");
      }
      return Double.compare(n, (Double) literal);
    }
    if (literal instanceof Boolean) {
      Object b = value instanceof String ? ((String) value).trim().toLowerCase(Locale.ROOT) : value;
      if (!(b instanceof Boolean) && !"true".equals(b) && !"false".equals(b)) {
        throw new IllegalArgumentException("column '" + column + "' is " + Json.write(value)
            + ", not true or false, in '" + text + "'");
      }
      return Boolean.compare(Boolean.parseBoolean(String.valueOf(b)), (Boolean) literal);
    }
    return String.valueOf(value).compareTo((String) literal);
  }

  @Override
  public String toString() {
    return text;
  }
}
