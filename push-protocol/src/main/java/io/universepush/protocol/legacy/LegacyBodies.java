package io.universepush.protocol.legacy;

import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * universe_push's version-1/2 bodies, as its original SDK sends and expects them: JSON for SUB, PING and CONTACT
 * requests, plain UTF-8 text for PUSH and the PING answer.
 */
public final class LegacyBodies {
  /** The idle timeout a legacy connection gets when it never said its interval (universe_push's default). */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 120_000L;
  /** Added to the client's heartbeat interval to get its idle timeout, as the original server did. */
  public static final long IDLE_GRACE_MS = 60_000L;

  private LegacyBodies() {}

  /** SUB request body: {@code {"uid":"<device id>"}}; an empty or missing uid is allowed. */
  public static Frame subRequest(ProtocolVersion version, int messageId, String uid) {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("uid", uid == null ? "" : uid);
    return Frame.text(version, Signal.SUB, 0, messageId, LegacyJson.write(body));
  }

  /** The uid of a SUB request; empty when absent. */
  public static String parseSubUid(Frame frame) throws ProtocolException {
    String text = frame.bodyAsText().trim();
    if (text.isEmpty()) {
      return "";
    }
    Object uid = parseObject(frame).get("uid");
    return uid == null ? "" : String.valueOf(uid);
  }

  /** SUB answer body: {@code {"status":200,"token":"<token>"}}. */
  public static Frame subResponse(ProtocolVersion version, int messageId, int status, String token) {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("status", status);
    if (token != null) {
      body.put("token", token);
    }
    return Frame.text(version, Signal.SUB, 0, messageId, LegacyJson.write(body));
  }

  public static SubResponse parseSubResponse(Frame frame) throws ProtocolException {
    Map<String, Object> map = parseObject(frame);
    Object status = map.get("status");
    Object token = map.get("token");
    return new SubResponse(
        status instanceof Number ? ((Number) status).intValue() : 0, token == null ? null : token.toString());
  }

  /** PING request body: {@code {"interval":<ms>}}. */
  public static Frame pingRequest(ProtocolVersion version, int messageId, long intervalMs) {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("interval", intervalMs);
    return Frame.text(version, Signal.PING, 0, messageId, LegacyJson.write(body));
  }

  /**
   * The interval of a PING request, or -1 when the body is empty or not understood: the original server kept its
   * default then and still answered, so this never throws.
   */
  public static long parsePingInterval(Frame frame) {
    try {
      Object interval = LegacyJson.parseObject(frame.bodyAsText()).get("interval");
      if (interval instanceof Number && ((Number) interval).longValue() > 0) {
        return ((Number) interval).longValue();
      }
      if (interval instanceof String) {
        long parsed = Long.parseLong(((String) interval).trim());
        return parsed > 0 ? parsed : -1;
      }
    } catch (RuntimeException ignored) {
      // keep the default, as universe_push did
    }
    return -1;
  }

  /** The PING answer: same message id, text body {@code ping back next interval <ms>}. */
  public static Frame pingResponse(Frame request, long intervalMs) {
    return Frame.text(
        request.version(), Signal.PING, 0, request.messageId(), "ping back next interval " + intervalMs);
  }

  /** A legacy PUSH: the message as raw UTF-8 text, message id 0. */
  public static Frame push(ProtocolVersion version, String message) {
    return Frame.text(version, Signal.PUSH, 0, 0, message);
  }

  /** CONTACT body: {@code {"from","to","group","type":0|1,"messageType","message"}}. */
  public static ContactMessage parseContact(Frame frame) throws ProtocolException {
    Map<String, Object> map = parseObject(frame);
    Object type = map.get("type");
    int typeCode;
    if (type instanceof Number) {
      typeCode = ((Number) type).intValue();
    } else if (type instanceof String) {
      try {
        typeCode = Integer.parseInt(((String) type).trim());
      } catch (NumberFormatException e) {
        throw new ProtocolException(ProtocolError.MALFORMED_BODY, "CONTACT type must be 0 or 1");
      }
    } else {
      throw new ProtocolException(ProtocolError.MALFORMED_BODY, "CONTACT type is required");
    }
    if (typeCode != ContactMessage.TYPE_GROUP && typeCode != ContactMessage.TYPE_SINGLE) {
      throw new ProtocolException(ProtocolError.MALFORMED_BODY, "CONTACT type must be 0 or 1");
    }
    return new ContactMessage(
        text(map.get("from")),
        text(map.get("to")),
        text(map.get("group")),
        typeCode,
        text(map.get("messageType")),
        text(map.get("message")));
  }

  private static String text(Object o) {
    return o == null ? "" : (o instanceof String ? (String) o : LegacyJson.write(o));
  }

  private static Map<String, Object> parseObject(Frame frame) throws ProtocolException {
    try {
      return LegacyJson.parseObject(frame.bodyAsText());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ProtocolError.MALFORMED_BODY, frame.signal() + " body: " + e.getMessage(), e);
    }
  }

  /** The answer to a SUB request. */
  public static final class SubResponse {
    private final int status;
    private final String token;

    public SubResponse(int status, String token) {
      this.status = status;
      this.token = token;
    }

    public int status() {
      return status;
    }

    public String token() {
      return token;
    }
  }

  /** A legacy CONTACT request: a chat message to a group (type 0) or to one token (type 1). */
  public static final class ContactMessage {
    public static final int TYPE_GROUP = 0;
    public static final int TYPE_SINGLE = 1;

    private final String from;
    private final String to;
    private final String group;
    private final int type;
    private final String messageType;
    private final String message;

    public ContactMessage(String from, String to, String group, int type, String messageType, String message) {
      this.from = from;
      this.to = to;
      this.group = group;
      this.type = type;
      this.messageType = messageType;
      this.message = message;
    }

    public String from() {
      return from;
    }

    public String to() {
      return to;
    }

    public String group() {
      return group;
    }

    public int type() {
      return type;
    }

    public String messageType() {
      return messageType;
    }

    public String message() {
      return message;
    }
  }
}
