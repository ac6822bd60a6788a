package io.universepush.api.device;

import static io.universepush.api.system.ApiException.invalidField;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The device field rules, checked here before any remote call so that a bad request costs nothing downstream.
 * push-subscribe applies the same rules to every registration it receives, whoever calls.
 */
final class DeviceFields {
  static final Set<String> PLATFORMS = Set.of("android", "ios", "web", "other");
  static final int MAX_LABEL_LENGTH = 64;
  static final int MAX_TAGS = 100;
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_\\-.@:]{1," + MAX_LABEL_LENGTH + "}");
  private static final String LABEL_RULE =
      "must be 1 to " + MAX_LABEL_LENGTH + " characters of A-Z a-z 0-9 _ - . @ :";

  private DeviceFields() {}

  static String platform(String platform) {
    String normalized = platform == null ? "" : platform.trim().toLowerCase(Locale.ROOT);
    if (!PLATFORMS.contains(normalized)) {
      throw invalidField("platform", "must be one of android, ios, web, other");
    }
    return normalized;
  }

  /** Null for none. */
  static String alias(String alias) {
    if (alias == null || alias.isEmpty()) {
      return null;
    }
    if (!LABEL.matcher(alias).matches()) {
      throw invalidField("alias", LABEL_RULE);
    }
    return alias;
  }

  static Set<String> tags(Collection<String> tags) {
    if (tags == null || tags.isEmpty()) {
      return new LinkedHashSet<>();
    }
    if (tags.size() > MAX_TAGS) {
      throw invalidField("tags", "at most " + MAX_TAGS + " tags, got " + tags.size());
    }
    Set<String> valid = new LinkedHashSet<>();
    int i = 0;
    for (String tag : tags) {
      if (tag == null || !LABEL.matcher(tag).matches()) {
        throw invalidField("tags[" + i + "]", LABEL_RULE);
      }
      valid.add(tag);
      i++;
    }
    return valid;
  }
}
