package io.universepush.api.push;

import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.IosOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A push that passed validation: its audience as given and what each device will receive.
 *
 * @param all the app-wide audience ({@code "all"})
 * @param tags devices carrying at least one of these; ignored when {@code all}
 * @param platforms empty: every platform
 * @param ios null when absent
 * @param android null when absent
 */
record ValidPush(
    List<String> regIds,
    List<String> aliases,
    Set<String> tags,
    boolean all,
    Set<String> platforms,
    byte[] payload,
    String title,
    String alert,
    Map<String, String> extras,
    IosOptions ios,
    AndroidOptions android,
    int ttlSeconds) {

  boolean hasUnicast() {
    return !regIds.isEmpty() || !aliases.isEmpty();
  }

  boolean hasFanout() {
    return all || !tags.isEmpty();
  }

  boolean acceptsPlatform(String platform) {
    return platforms.isEmpty() || platforms.contains(platform);
  }
}
