package io.universepush.rpc.connector;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The {@code ios} options of a push, carried to the device as given. */
public class IosOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private String sound;
  /** Null: leave the badge as it is. */
  private Integer badge;
  private boolean production;
  private Map<String, String> extras = new LinkedHashMap<>();

  public IosOptions() {}

  public IosOptions(String sound, Integer badge, boolean production, Map<String, String> extras) {
    this.sound = sound;
    this.badge = badge;
    this.production = production;
    this.extras = extras == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extras);
  }

  public String getSound() {
    return sound;
  }

  public void setSound(String sound) {
    this.sound = sound;
  }

  public Integer getBadge() {
    return badge;
  }

  public void setBadge(Integer badge) {
    this.badge = badge;
  }

  public boolean isProduction() {
    return production;
  }

  public void setProduction(boolean production) {
    this.production = production;
  }

  public Map<String, String> getExtras() {
    return extras;
  }

  public void setExtras(Map<String, String> extras) {
    this.extras = extras;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IosOptions other
        && production == other.production
        && Objects.equals(sound, other.sound)
        && Objects.equals(badge, other.badge)
        && Objects.equals(extras, other.extras);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sound, badge, production, extras);
  }
}
