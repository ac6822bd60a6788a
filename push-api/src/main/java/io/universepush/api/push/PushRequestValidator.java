package io.universepush.api.push;

import static io.universepush.api.system.ApiException.invalidField;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.api.system.ApiException;
import io.universepush.api.system.ApiProperties;
import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.IosOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks a push request field by field, from the JSON as sent; every refusal names the field in the request's own
 * (snake_case) terms, unknown fields included, so a typo is never silently ignored.
 */
@Component
public class PushRequestValidator {
  static final int MAX_TEXT_LENGTH = 256;
  static final int MAX_ID_LENGTH = 64;
  static final int MAX_EXTRAS = 64;
  static final int MAX_EXTRA_KEY_LENGTH = 64;
  static final int MAX_EXTRA_VALUE_LENGTH = 1024;
  static final int MAX_BADGE = 1_000_000;
  static final Set<String> PLATFORMS = Set.of("android", "ios", "web");

  private static final Set<String> FIELDS =
      Set.of("audience", "platform", "alert", "title", "message", "extras", "ttl", "ios", "android");
  private static final Set<String> AUDIENCES = Set.of("reg_ids", "aliases", "tags", "all");
  private static final Set<String> IOS_FIELDS = Set.of("sound", "badge", "production", "extras");
  private static final Set<String> ANDROID_FIELDS = Set.of("extras");

  private final ApiProperties.Push limits;
  private final ObjectMapper json;

  public PushRequestValidator(ApiProperties properties, ObjectMapper json) {
    this.limits = properties.push();
    this.json = json;
  }

  ValidPush validate(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode() || !body.isObject()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "bad_json", "a JSON object request body is required");
    }
    knownFields(body, "", FIELDS);

    JsonNode audience = body.get("audience");
    if (absent(audience)) {
      throw invalidField("audience", "is required");
    }
    boolean all = false;
    List<String> regIds = List.of();
    List<String> aliases = List.of();
    List<String> tags = List.of();
    if (audience.isTextual()) {
      if (!"all".equals(audience.asText())) {
        throw invalidField("audience", "must be \"all\" or an object such as {\"reg_ids\":[...]}");
      }
      all = true;
    } else if (audience.isObject()) {
      knownFields(audience, "audience.", AUDIENCES);
      JsonNode allFlag = audience.get("all");
      if (!absent(allFlag)) {
        if (!allFlag.isBoolean()) {
          throw invalidField("audience.all", "must be true or false");
        }
        all = allFlag.asBoolean();
      }
      regIds = ids(audience.get("reg_ids"), "audience.reg_ids", limits.maxRegIds());
      aliases = ids(audience.get("aliases"), "audience.aliases", limits.maxAliases());
      tags = ids(audience.get("tags"), "audience.tags", limits.maxTags());
    } else {
      throw invalidField("audience", "must be \"all\" or an object such as {\"reg_ids\":[...]}");
    }
    if (!all && regIds.isEmpty() && aliases.isEmpty() && tags.isEmpty()) {
      throw invalidField("audience", "must name reg_ids, aliases, tags or all");
    }

    Set<String> platforms = platforms(body.get("platform"));
    String alert = text(body.get("alert"), "alert");
    String title = text(body.get("title"), "title");
    Map<String, String> extras = extras(body.get("extras"), "extras");
    IosOptions ios = ios(body.get("ios"));
    AndroidOptions android = android(body.get("android"));
    int ttl = ttl(body.get("ttl"));
    JsonNode message = body.get("message");
    byte[] payload = payload(message, alert);
    // Without a message the alert is the payload already: count it once.
    checkSize(payload, absent(message) ? null : alert, title, extras, ios, android);
    return new ValidPush(
        regIds,
        aliases,
        all ? Set.of() : new LinkedHashSet<>(tags),
        all,
        platforms,
        payload,
        title,
        alert,
        extras,
        ios,
        android,
        ttl);
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private static void knownFields(JsonNode object, String path, Set<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw invalidField(path + name, "is not a known field; use " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  private static List<String> ids(JsonNode node, String field, int max) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalidField(field, "must be an array of strings");
    }
    if (node.isEmpty() || node.size() > max) {
      throw invalidField(field, "must hold 1 to " + max + " entries, got " + node.size());
    }
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode id = node.get(i);
      String text = id.isTextual() ? id.asText() : "";
      if (text.isBlank() || text.length() > MAX_ID_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
        throw invalidField(
            field + "[" + i + "]",
            "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters, without control characters");
      }
      ids.add(text);
    }
    return new ArrayList<>(ids);
  }

  /** Empty for every platform. */
  private static Set<String> platforms(JsonNode node) {
    if (absent(node) || (node.isTextual() && node.asText().equals("all"))) {
      return Set.of();
    }
    String rule = "must be \"all\", or one or a list of android, ios, web";
    Set<String> platforms = new LinkedHashSet<>();
    if (node.isTextual()) {
      platforms.add(node.asText());
    } else if (node.isArray() && !node.isEmpty()) {
      for (JsonNode platform : node) {
        platforms.add(platform.isTextual() ? platform.asText() : "");
      }
    } else {
      throw invalidField("platform", rule);
    }
    for (String platform : platforms) {
      if (!PLATFORMS.contains(platform)) {
        throw invalidField("platform", rule + "; got \"" + platform + "\"");
      }
    }
    return platforms;
  }

  private static String text(JsonNode node, String field) {
    if (absent(node)) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalidField(field, "must be a string");
    }
    String value = node.asText();
    if (value.codePointCount(0, value.length()) > MAX_TEXT_LENGTH) {
      throw invalidField(field, "must be at most " + MAX_TEXT_LENGTH + " characters");
    }
    return value;
  }

  private static Map<String, String> extras(JsonNode node, String field) {
    if (absent(node)) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw invalidField(field, "must be an object of string values");
    }
    if (node.size() > MAX_EXTRAS) {
      throw invalidField(field, "at most " + MAX_EXTRAS + " entries");
    }
    Map<String, String> valid = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String key = entry.getKey();
      if (key.isEmpty() || key.length() > MAX_EXTRA_KEY_LENGTH) {
        throw invalidField(field, "keys must be 1 to " + MAX_EXTRA_KEY_LENGTH + " characters");
      }
      if (!entry.getValue().isTextual()) {
        throw invalidField(field + "." + key, "must be a string");
      }
      String value = entry.getValue().asText();
      if (value.length() > MAX_EXTRA_VALUE_LENGTH) {
        throw invalidField(field + "." + key, "must be at most " + MAX_EXTRA_VALUE_LENGTH + " characters");
      }
      valid.put(key, value);
    }
    return valid;
  }

  private static IosOptions ios(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw invalidField("ios", "must be an object such as {\"sound\":\"default\",\"badge\":1}");
    }
    knownFields(node, "ios.", IOS_FIELDS);
    String sound = text(node.get("sound"), "ios.sound");
    Integer badge = null;
    JsonNode badgeNode = node.get("badge");
    if (!absent(badgeNode)) {
      if (!badgeNode.isIntegralNumber() || badgeNode.asLong() < 0 || badgeNode.asLong() > MAX_BADGE) {
        throw invalidField("ios.badge", "must be a whole number from 0 to " + MAX_BADGE);
      }
      badge = badgeNode.intValue();
    }
    boolean production = false;
    JsonNode productionNode = node.get("production");
    if (!absent(productionNode)) {
      if (!productionNode.isBoolean()) {
        throw invalidField("ios.production", "must be true or false");
      }
      production = productionNode.asBoolean();
    }
    return new IosOptions(sound, badge, production, extras(node.get("extras"), "ios.extras"));
  }

  private static AndroidOptions android(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw invalidField("android", "must be an object such as {\"extras\":{...}}");
    }
    knownFields(node, "android.", ANDROID_FIELDS);
    return new AndroidOptions(extras(node.get("extras"), "android.extras"));
  }

  private int ttl(JsonNode node) {
    if (absent(node)) {
      return limits.defaultTtlSeconds();
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()
        || node.asLong() < 0 || node.asLong() > limits.maxTtlSeconds()) {
      throw invalidField("ttl", "must be a whole number of seconds from 0 to " + limits.maxTtlSeconds());
    }
    return (int) node.asLong();
  }

  /** The message as UTF-8 JSON; without a message, the alert text itself. */
  private byte[] payload(JsonNode message, String alert) {
    if (!absent(message)) {
      try {
        return json.writeValueAsBytes(message);
      } catch (JsonProcessingException e) {
        throw invalidField("message", "cannot be serialized: " + e.getOriginalMessage());
      }
    }
    if (alert != null && !alert.isEmpty()) {
      return alert.getBytes(StandardCharsets.UTF_8);
    }
    throw invalidField("message", "a message or an alert is required");
  }

  /** Everything a device receives counts, not only the message: that is what travels to every target. */
  private void checkSize(
      byte[] payload,
      String alert,
      String title,
      Map<String, String> extras,
      IosOptions ios,
      AndroidOptions android) {
    long size = payload.length + utf8(alert) + utf8(title) + utf8(extras);
    try {
      size += ios == null ? 0 : json.writeValueAsBytes(ios).length;
      size += android == null ? 0 : json.writeValueAsBytes(android).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("push options are not serialisable", e);
    }
    if (size > limits.maxPayloadBytes()) {
      throw new ApiException(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "payload_too_large",
          "message: the push is "
              + size
              + " bytes (message, alert, title, extras and options), the limit is "
              + limits.maxPayloadBytes()
              + " bytes");
    }
  }

  private static int utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int utf8(Map<String, String> extras) {
    int size = 0;
    for (Map.Entry<String, String> entry : extras.entrySet()) {
      size += utf8(entry.getKey()) + utf8(entry.getValue());
    }
    return size;
  }
}
