package io.universepush.rpc.connector;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The {@code android} options of a push, carried to the device as given. */
public class AndroidOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private Map<String, String> extras = new LinkedHashMap<>();

  public AndroidOptions() {}

  public AndroidOptions(Map<String, String> extras) {
    this.extras = extras == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extras);
  }

  public Map<String, String> getExtras() {
    return extras;
  }

  public void setExtras(Map<String, String> extras) {
    this.extras = extras;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AndroidOptions other && Objects.equals(extras, other.extras);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(extras);
  }
}
