package io.universepush.connector.websocket;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Version-3 frames as JSON text: {@code {"signal","sub_signal","message_id","content"}}, where {@code content} is the
 * frame's protobuf message in protobuf's canonical JSON. push-protocol's classes are lite (no descriptors), so the
 * bodies go through {@link DynamicMessage} over push.proto's descriptor set, built with this module.
 */
final class WebSocketJson {
  /** PING sub-signal of the server's answer, whose body is a {@code Pong}. */
  private static final int PONG = 1;

  private static final FileDescriptor PUSH_PROTO = loadPushProto();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private WebSocketJson() {}

  /** A text message that is not a valid envelope, or whose content does not fit its signal. */
  static final class InvalidJson extends Exception {
    private final boolean unknownSignal;

    InvalidJson(String message, boolean unknownSignal) {
      super(message);
      this.unknownSignal = unknownSignal;
    }

    boolean unknownSignal() {
      return unknownSignal;
    }
  }

  /**
   * The message type of a version-3 body, or null for signals that carry none. PUB_ACK carries an {@code Ack} from
   * the client and a {@code PublishAck} (the answer to a PUBLISH) from the server.
   */
  static Descriptor bodyType(Signal signal, int subSignal, boolean fromServer) {
    String name =
        switch (signal) {
          case CONNECT -> "Connect";
          case CONNECT_ACK -> "ConnectAck";
          case PUSH -> "Push";
          case PUBLISH -> "Publish";
          case PUB_ACK -> fromServer ? "PublishAck" : "Ack";
          case PING -> subSignal == PONG ? "Pong" : "Ping";
          case DISCONNECT -> "Disconnect";
          default -> null;
        };
    return name == null ? null : PUSH_PROTO.findMessageTypeByName(name);
  }

  /** Reads a client's text message into a version-3 frame. */
  static Frame toFrame(String text) throws InvalidJson {
    JsonObject envelope;
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) {
        throw new InvalidJson("a text message must be a JSON object", false);
      }
      envelope = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InvalidJson("malformed JSON: " + rootMessage(e), false);
    }
    JsonElement signalValue = envelope.get("signal");
    if (signalValue == null || !signalValue.isJsonPrimitive()) {
      throw new InvalidJson("\"signal\" is missing", true);
    }
    Signal signal = Signal.fromName(signalValue.getAsString());
    if (signal == null) {
      throw new InvalidJson("unknown signal " + signalValue, true);
    }
    int subSignal = number(envelope, "sub_signal", "subSignal", 0x7F);
    int messageId = number(envelope, "message_id", "messageId", Frame.MAX_MESSAGE_ID);
    return Frame.of(ProtocolVersion.V3, signal, subSignal, messageId, body(signal, subSignal, envelope.get("content")));
  }

  /** Writes a version-3 frame as a text message. */
  static String toJson(Frame frame) throws InvalidProtocolBufferException {
    Descriptor type = bodyType(frame.signal(), frame.subSignal(), true);
    String content;
    if (type != null) {
      content = PRINTER.print(DynamicMessage.parseFrom(type, FrameEncoder.bodyOf(frame)));
    } else if (frame.bodyLength() == 0) {
      content = "null";
    } else {
      content = new JsonPrimitive(frame.bodyAsText()).toString();
    }
    return "{\"signal\":\""
        + frame.signal().name()
        + "\",\"sub_signal\":"
        + frame.subSignal()
        + ",\"message_id\":"
        + frame.messageId()
        + ",\"content\":"
        + content
        + "}";
  }

  private static byte[] body(Signal signal, int subSignal, JsonElement content) throws InvalidJson {
    if (content == null || content.isJsonNull()) {
      return new byte[0];
    }
    Descriptor type = bodyType(signal, subSignal, false);
    if (type == null) {
      // Signals without a version-3 message: a string is taken as the body text.
      return content.isJsonPrimitive() ? content.getAsString().getBytes(StandardCharsets.UTF_8) : new byte[0];
    }
    if (!content.isJsonObject()) {
      throw new InvalidJson("\"content\" of " + signal + " must be a JSON object", false);
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    try {
      PARSER.merge(content.toString(), builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidJson("\"content\" is not a valid " + type.getName() + ": " + rootMessage(e), false);
    }
    return builder.build().toByteArray();
  }

  private static int number(JsonObject envelope, String key, String alternativeKey, int max) throws InvalidJson {
    JsonElement value = envelope.has(key) ? envelope.get(key) : envelope.get(alternativeKey);
    if (value == null || value.isJsonNull()) {
      return 0;
    }
    try {
      int number = value.getAsJsonPrimitive().getAsInt();
      if (number < 0 || number > max) {
        throw new InvalidJson("\"" + key + "\" must be 0.." + max, false);
      }
      return number;
    } catch (IllegalStateException | NumberFormatException | ClassCastException e) {
      throw new InvalidJson("\"" + key + "\" must be a number", false);
    }
  }

  private static FileDescriptor loadPushProto() {
    try (InputStream in = WebSocketJson.class.getResourceAsStream("push.desc")) {
      if (in == null) {
        throw new IllegalStateException("push.desc (push.proto's descriptor set) is missing from the classpath");
      }
      FileDescriptorProto file = FileDescriptorSet.parseFrom(in).getFile(0);
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("push.desc is not a valid descriptor set", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
