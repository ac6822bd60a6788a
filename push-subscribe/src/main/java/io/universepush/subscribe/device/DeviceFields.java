package io.universepush.subscribe.device;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for what a device is registered with. Aliases and tags become parts of Redis keys and show up in push
 * audiences, so they are kept short and to a charset that needs no escaping anywhere.
 */
public final class DeviceFields {
  public static final Set<String> PLATFORMS = Set.of("android", "ios", "web", "other");
  public static final int MAX_LABEL_LENGTH = 64;
  public static final int MAX_TAGS = 100;
  public static final int MAX_LEGACY_UID_LENGTH = 128;

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_\\-.@:]{1," + MAX_LABEL_LENGTH + "}");
  private static final String LABEL_RULE =
      "must be 1 to " + MAX_LABEL_LENGTH + " characters of A-Z a-z 0-9 _ - . @ :";

  private DeviceFields() {}

  /** The platform in lower case. */
  public static String platform(String platform) {
    String normalized = platform == null ? "" : platform.trim().toLowerCase(Locale.ROOT);
    if (!PLATFORMS.contains(normalized)) {
      throw new IllegalArgumentException("platform must be one of android, ios, web, other");
    }
    return normalized;
  }

  /** Null for no alias. */
  public static String alias(String alias) {
    if (alias == null || alias.isEmpty()) {
      return null;
    }
    if (!LABEL.matcher(alias).matches()) {
      throw new IllegalArgumentException("alias " + LABEL_RULE);
    }
    return alias;
  }

  public static Set<String> tags(Set<String> tags) {
    if (tags == null || tags.isEmpty()) {
      return Set.of();
    }
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException("tags: at most " + MAX_TAGS + " tags, got " + tags.size());
    }
    Set<String> valid = new LinkedHashSet<>();
    for (String tag : tags) {
      if (tag == null || !LABEL.matcher(tag).matches()) {
        throw new IllegalArgumentException("tags: every tag " + LABEL_RULE + " (bad tag: " + shorten(tag) + ")");
      }
      valid.add(tag);
    }
    return valid;
  }

  /** An empty uid stays empty: universe_push gives such a client a fresh device each time. */
  public static String legacyUid(String uid) {
    if (uid == null) {
      return "";
    }
    if (uid.length() > MAX_LEGACY_UID_LENGTH) {
      throw new IllegalArgumentException("uid must be at most " + MAX_LEGACY_UID_LENGTH + " characters");
    }
    if (uid.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("uid must not contain control characters");
    }
    return uid;
  }

  private static String shorten(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() <= MAX_LABEL_LENGTH ? value : value.substring(0, MAX_LABEL_LENGTH) + "...";
    return '"' + shown + '"';
  }
}
