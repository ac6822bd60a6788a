package io.universepush.store.redis;

/** Conversions between Java values and Redis hash fields, which hold no nulls. */
final class Values {
  private Values() {}

  static String nonNull(String value) {
    return value == null ? "" : value;
  }

  static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  static long parseLong(String value) {
    return value == null || value.isEmpty() ? 0L : Long.parseLong(value);
  }
}
