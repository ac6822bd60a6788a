package io.universepush.sdk.internal;

/**
 * Fan-out ids are the server's log ids, {@code <millis>-<seq>}: ordered by time, then by sequence, compared as
 * numbers ("9-0" is before "10-0"). Not public API.
 */
public final class FanoutIds {
  private FanoutIds() {}

  /** True when {@code candidate} is a valid id later than {@code current} (or {@code current} is null or invalid). */
  public static boolean isAfter(String candidate, String current) {
    long[] next = parse(candidate);
    if (next == null) {
      return false;
    }
    long[] now = parse(current);
    if (now == null) {
      return true;
    }
    return next[0] != now[0] ? next[0] > now[0] : next[1] > now[1];
  }

  /** True for a well-formed id. */
  public static boolean isValid(String id) {
    return parse(id) != null;
  }

  private static long[] parse(String id) {
    if (id == null) {
      return null;
    }
    int dash = id.indexOf('-');
    if (dash <= 0 || dash == id.length() - 1 || id.length() > 41) {
      return null;
    }
    try {
      long millis = Long.parseLong(id.substring(0, dash));
      long sequence = Long.parseLong(id.substring(dash + 1));
      return millis < 0 || sequence < 0 ? null : new long[] {millis, sequence};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
