package io.universepush.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The iOS options of a push ({@code ios} in the push request), carried as given: the app or its notification layer
 * applies them. Immutable.
 */
public final class IosOptions {
  private final String sound;
  private final Integer badge;
  private final boolean production;
  private final Map<String, String> extras;

  public IosOptions(String sound, Integer badge, boolean production, Map<String, String> extras) {
    this.sound = sound == null ? "" : sound;
    this.badge = badge;
    this.production = production;
    this.extras = copy(extras);
  }

  static Map<String, String> copy(Map<String, String> extras) {
    return extras == null || extras.isEmpty()
        ? Collections.<String, String>emptyMap()
        : Collections.unmodifiableMap(new LinkedHashMap<String, String>(extras));
  }

  /** Empty when the push named no sound. */
  public String sound() {
    return sound;
  }

  /** The badge number, or null when the push did not set one (0 is a badge: it clears the icon's number). */
  public Integer badge() {
    return badge;
  }

  /** True for the production APNs environment, false for the sandbox. */
  public boolean production() {
    return production;
  }

  /** Unmodifiable. */
  public Map<String, String> extras() {
    return extras;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof IosOptions)) {
      return false;
    }
    IosOptions other = (IosOptions) o;
    return sound.equals(other.sound)
        && (badge == null ? other.badge == null : badge.equals(other.badge))
        && production == other.production
        && extras.equals(other.extras);
  }

  @Override
  public int hashCode() {
    return ((sound.hashCode() * 31 + (badge == null ? -1 : badge)) * 31 + (production ? 1 : 0)) * 31
        + extras.hashCode();
  }

  @Override
  public String toString() {
    return "IosOptions{sound=" + sound + ", badge=" + badge + ", production=" + production + ", extras=" + extras
        + "}";
  }
}
