package io.universepush.api.push;

import static io.universepush.api.system.ApiException.invalidField;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.api.system.ApiException;
import io.universepush.api.system.ApiProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** Checks a push request field by field; every refusal names the field in the request's own (snake_case) terms. */
@Component
public class PushRequestValidator {
  static final int MAX_TEXT_LENGTH = 256;
  static final int MAX_ID_LENGTH = 64;
  static final int MAX_ALIASES = 100;
  static final int MAX_EXTRAS = 64;
  static final int MAX_EXTRA_KEY_LENGTH = 64;
  static final int MAX_EXTRA_VALUE_LENGTH = 1024;

  private final ApiProperties.Push limits;
  private final ObjectMapper json;

  public PushRequestValidator(ApiProperties properties, ObjectMapper json) {
    this.limits = properties.push();
    this.json = json;
  }

  ValidPush validate(PushRequest request) {
    if (request == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "bad_json", "a JSON request body is required");
    }
    JsonNode audience = request.audience();
    if (audience == null || audience.isNull() || audience.isMissingNode()) {
      throw invalidField("audience", "is required");
    }
    if (audience.isTextual() && "all".equals(audience.asText())) {
      throw invalidField("audience", "\"all\" (broadcast) is not supported yet; name reg_ids or aliases");
    }
    if (!audience.isObject()) {
      throw invalidField("audience", "must be an object such as {\"reg_ids\":[...]}");
    }
    for (Iterator<String> names = audience.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("reg_ids") && !name.equals("aliases")) {
        throw invalidField(
            "audience." + name,
            name.equals("tags") || name.equals("all")
                ? "is not supported yet; name reg_ids or aliases"
                : "is not an audience; use reg_ids or aliases");
      }
    }
    List<String> regIds = ids(audience.get("reg_ids"), "audience.reg_ids", limits.maxRegIds());
    List<String> aliases = ids(audience.get("aliases"), "audience.aliases", MAX_ALIASES);
    if (regIds.isEmpty() && aliases.isEmpty()) {
      throw invalidField("audience.reg_ids", "must name 1 to " + limits.maxRegIds() + " reg ids");
    }
    String alert = text(request.alert(), "alert");
    String title = text(request.title(), "title");
    Map<String, String> extras = extras(request.extras());
    int ttl = ttl(request.ttl());
    byte[] payload = payload(request.message(), alert);
    return new ValidPush(regIds, aliases, payload, title, alert, extras, ttl);
  }

  private List<String> ids(JsonNode node, String field, int max) {
    if (node == null || node.isNull()) {
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
      if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > MAX_ID_LENGTH) {
        throw invalidField(
            field + "[" + i + "]", "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters");
      }
      ids.add(id.asText());
    }
    return new ArrayList<>(ids);
  }

  private static String text(String value, String field) {
    if (value == null) {
      return null;
    }
    if (value.codePointCount(0, value.length()) > MAX_TEXT_LENGTH) {
      throw invalidField(field, "must be at most " + MAX_TEXT_LENGTH + " characters");
    }
    return value;
  }

  private static Map<String, String> extras(Map<String, String> extras) {
    if (extras == null || extras.isEmpty()) {
      return Map.of();
    }
    if (extras.size() > MAX_EXTRAS) {
      throw invalidField("extras", "at most " + MAX_EXTRAS + " entries");
    }
    Map<String, String> valid = new LinkedHashMap<>();
    extras.forEach(
        (key, value) -> {
          if (key.isEmpty() || key.length() > MAX_EXTRA_KEY_LENGTH) {
            throw invalidField("extras", "keys must be 1 to " + MAX_EXTRA_KEY_LENGTH + " characters");
          }
          if (value == null) {
            throw invalidField("extras." + key, "must be a string");
          }
          if (value.length() > MAX_EXTRA_VALUE_LENGTH) {
            throw invalidField("extras." + key, "must be at most " + MAX_EXTRA_VALUE_LENGTH + " characters");
          }
          valid.put(key, value);
        });
    return valid;
  }

  private int ttl(Long ttl) {
    if (ttl == null) {
      return limits.defaultTtlSeconds();
    }
    if (ttl < 0 || ttl > limits.maxTtlSeconds()) {
      throw invalidField("ttl", "must be between 0 and " + limits.maxTtlSeconds() + " seconds");
    }
    return ttl.intValue();
  }

  /** The message as UTF-8 JSON; without a message, the alert text itself. */
  private byte[] payload(JsonNode message, String alert) {
    byte[] payload;
    if (message != null && !message.isNull() && !message.isMissingNode()) {
      try {
        payload = json.writeValueAsBytes(message);
      } catch (JsonProcessingException e) {
        throw invalidField("message", "cannot be serialized: " + e.getOriginalMessage());
      }
    } else if (alert != null && !alert.isEmpty()) {
      payload = alert.getBytes(StandardCharsets.UTF_8);
    } else {
      throw invalidField("message", "a message or an alert is required");
    }
    if (payload.length > limits.maxPayloadBytes()) {
      throw new ApiException(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "payload_too_large",
          "message: the payload is "
              + payload.length
              + " bytes, the limit is "
              + limits.maxPayloadBytes()
              + " bytes");
    }
    return payload;
  }
}
