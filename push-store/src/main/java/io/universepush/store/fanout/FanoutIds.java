package io.universepush.store.fanout;

/**
 * Fan-out entry ids are Redis stream ids, {@code <millis>-<sequence>}: ordered by time, then by sequence. They compare
 * as pairs of numbers, not as strings ("9-0" is before "10-0").
 */
public final class FanoutIds {
  private FanoutIds() {}

  /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
  public static int compare(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    int byTime = Long.compare(x[0], y[0]);
    return byTime != 0 ? byTime : Long.compare(x[1], y[1]);
  }

  /** True when the text is a well-formed id; clients send cursors, so they are checked before use. */
  public static boolean isValid(String id) {
    try {
      parse(id);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The millisecond part: when the entry was appended. */
  public static long timeOf(String id) {
    return parse(id)[0];
  }

  private static long[] parse(String id) {
    if (id == null) {
      throw new IllegalArgumentException("fan-out id is null");
    }
    int dash = id.indexOf('-');
    if (dash <= 0 || dash == id.length() - 1 || id.length() > 41) {
      throw new IllegalArgumentException("not a fan-out id: " + id);
    }
    try {
      long millis = Long.parseLong(id.substring(0, dash));
      long sequence = Long.parseLong(id.substring(dash + 1));
      if (millis < 0 || sequence < 0) {
        throw new IllegalArgumentException("not a fan-out id: " + id);
      }
      return new long[] {millis, sequence};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a fan-out id: " + id, e);
    }
  }
}
