package io.universepush.sdk;

import java.util.Map;

/** The Android options of a push ({@code android} in the push request). Immutable. */
public final class AndroidOptions {
  private final Map<String, String> extras;

  public AndroidOptions(Map<String, String> extras) {
    this.extras = IosOptions.copy(extras);
  }

  /** Unmodifiable. */
  public Map<String, String> extras() {
    return extras;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AndroidOptions && extras.equals(((AndroidOptions) o).extras);
  }

  @Override
  public int hashCode() {
    return extras.hashCode();
  }

  @Override
  public String toString() {
    return "AndroidOptions{extras=" + extras + "}";
  }
}
