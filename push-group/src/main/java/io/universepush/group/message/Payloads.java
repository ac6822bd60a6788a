package io.universepush.group.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.universepush.group.system.ApiException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * Messages as they travel: the UTF-8 JSON of the request's {@code message} (as push-api stores a push's), or the raw
 * text of a legacy send. History gives a payload back as JSON when it is JSON, else as a string.
 */
@Component
public class Payloads {
  private final ObjectMapper json;

  public Payloads(ObjectMapper json) {
    this.json = json;
  }

  public byte[] fromJson(JsonNode message) {
    if (message == null || message.isNull() || message.isMissingNode()) {
      throw ApiException.invalidField("message", "is required");
    }
    try {
      return json.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw ApiException.invalidField("message", "cannot be serialized: " + e.getOriginalMessage());
    }
  }

  public JsonNode toJson(byte[] payload) {
    try {
      return json.readTree(payload);
    } catch (java.io.IOException e) {
      return TextNode.valueOf(new String(payload, StandardCharsets.UTF_8));
    }
  }
}
