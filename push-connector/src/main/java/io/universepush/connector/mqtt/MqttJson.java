package io.universepush.connector.mqtt;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.universepush.protocol.proto.Push;
import java.nio.charset.StandardCharsets;

/**
 * The JSON payloads of MQTT PUBLISH packets: a push as the device receives it, and the device's upstream messages
 * ({@code {"kind":1,"content":{"msg_id"}}} acks, {@code {"kind":2,"content":{"app_id","reg_id"}}} logs out).
 */
final class MqttJson {
  static final int KIND_ACK = 1;
  static final int KIND_LOGOUT = 2;

  private MqttJson() {}

  /** What a device sent upstream. */
  sealed interface Upstream permits UpstreamAck, UpstreamLogout {}

  record UpstreamAck(String msgId) implements Upstream {}

  record UpstreamLogout(String appId, String regId) implements Upstream {}

  /** An upstream payload that is not one of the documented messages. */
  static final class InvalidUpstream extends Exception {
    InvalidUpstream(String message) {
      super(message);
    }
  }

  /**
   * {@code {"msg_id","alert","title","message","extras"}}, plus {@code "fanout_offset"} on pushes from the app's fan-out log. {@code message}
   * is the push request's JSON as sent; a payload that is not JSON is given as a string.
   */
  static byte[] push(Push push) {
    JsonObject json = new JsonObject();
    json.addProperty("msg_id", push.getMsgId());
    json.addProperty("alert", push.getAlert());
    json.addProperty("title", push.getTitle());
    json.add("message", message(push.getPayload().toStringUtf8()));
    JsonObject extras = new JsonObject();
    push.getExtrasMap().forEach(extras::addProperty);
    json.add("extras", extras);
    if (push.getFanoutOffset() > 0) {
      json.addProperty("fanout_offset", push.getFanoutOffset());
    }
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonElement message(String payload) {
    if (payload.isEmpty()) {
      return com.google.gson.JsonNull.INSTANCE;
    }
    try {
      return JsonParser.parseString(payload);
    } catch (JsonParseException e) {
      return new JsonPrimitive(payload);
    }
  }

  static Upstream upstream(byte[] payload) throws InvalidUpstream {
    JsonObject envelope;
    try {
      JsonElement parsed = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8));
      if (!parsed.isJsonObject()) {
        throw new InvalidUpstream("payload must be a JSON object");
      }
      envelope = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InvalidUpstream("payload is not JSON");
    }
    JsonElement kind = envelope.get("kind");
    JsonElement content = envelope.get("content");
    if (kind == null || !kind.isJsonPrimitive() || !kind.getAsJsonPrimitive().isNumber()) {
      throw new InvalidUpstream("\"kind\" must be 1 (ack) or 2 (logout)");
    }
    if (content == null || !content.isJsonObject()) {
      throw new InvalidUpstream("\"content\" must be a JSON object");
    }
    JsonObject body = content.getAsJsonObject();
    return switch (kind.getAsInt()) {
      case KIND_ACK -> {
        String msgId = text(body, "msg_id");
        if (msgId == null || msgId.isEmpty()) {
          throw new InvalidUpstream("an ack needs \"content\":{\"msg_id\":...}");
        }
        yield new UpstreamAck(msgId);
      }
      case KIND_LOGOUT -> new UpstreamLogout(text(body, "app_id"), text(body, "reg_id"));
      default -> throw new InvalidUpstream("unknown kind " + kind + ": 1 (ack) or 2 (logout)");
    };
  }

  private static String text(JsonObject object, String key) throws InvalidUpstream {
    JsonElement value = object.get(key);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new InvalidUpstream("\"" + key + "\" must be a string");
    }
    return value.getAsString();
  }
}
