package io.universepush.connector.mqtt;

import io.netty.handler.codec.mqtt.MqttMessage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;

/**
 * What the two adapters of one MQTT connection share: who the client is, the QoS 1 packet ids in flight (MQTT
 * identifies a PUBLISH by a 16-bit packet id, the session by its msg id), and which PING answers are the client's.
 * Only touched on the connection's event loop (Netty runs every handler of a channel there, writes from other threads
 * included), so it takes no lock.
 */
final class MqttConnection {
  static final int MAX_PACKET_ID = 0xFFFF;

  private final int maxInFlight;
  /** packet id -> msg id, oldest first. */
  private final LinkedHashMap<Integer, String> inFlight = new LinkedHashMap<>();
  private final Map<String, Integer> packetIdByMsgId = new HashMap<>();
  /** One entry per PING forwarded to the session, in order: true when the client asked (PINGREQ). */
  private final Queue<Boolean> pings = new ArrayDeque<>();
  /** Replies to packets the client sent before its CONNACK, written right after it. */
  private final Queue<MqttMessage> heldReplies = new ArrayDeque<>();
  private int lastPacketId;
  private String appId;
  private String regId;
  private boolean connectReceived;
  private boolean accepted;
  private long heartbeatIntervalMs;
  private long lastPingNanos;

  /**
   * @param maxInFlight packet ids kept before the oldest is forgotten (a push the session gave up on is never acked);
   *     its late PUBACK is then ignored and the session redelivers it under a new id
   */
  MqttConnection(int maxInFlight) {
    this.maxInFlight = Math.min(MAX_PACKET_ID, Math.max(1, maxInFlight));
  }

  void connectReceived(String appId, String regId) {
    this.connectReceived = true;
    this.appId = appId;
    this.regId = regId;
  }

  boolean connectReceived() {
    return connectReceived;
  }

  void accepted(long heartbeatIntervalMs, long nowNanos) {
    this.accepted = true;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.lastPingNanos = nowNanos;
  }

  boolean accepted() {
    return accepted;
  }

  String appId() {
    return appId;
  }

  String regId() {
    return regId;
  }

  /** The device's own topic, where its pushes are published. */
  String deviceTopic() {
    return MqttTopics.device(regId);
  }

  /**
   * The packet id for a push: the one it already has when it is in flight on this connection (a redelivery), else
   * the next free one after the last allocated, wrapping at 65535.
   */
  int packetIdFor(String msgId) {
    Integer existing = packetIdByMsgId.get(msgId);
    if (existing != null) {
      return existing;
    }
    if (inFlight.size() >= maxInFlight) {
      Iterator<Map.Entry<Integer, String>> oldest = inFlight.entrySet().iterator();
      packetIdByMsgId.remove(oldest.next().getValue());
      oldest.remove();
    }
    int id = lastPacketId;
    do {
      id = id == MAX_PACKET_ID ? 1 : id + 1;
    } while (inFlight.containsKey(id));
    lastPacketId = id;
    inFlight.put(id, msgId);
    packetIdByMsgId.put(msgId, id);
    return id;
  }

  /** The msg id a PUBACK settles, or null for an id not in flight; the id is free again. */
  String acknowledge(int packetId) {
    String msgId = inFlight.remove(packetId);
    if (msgId != null) {
      packetIdByMsgId.remove(msgId);
    }
    return msgId;
  }

  /** An upstream ack settled this msg id: its packet id is free again. */
  void acknowledged(String msgId) {
    Integer packetId = packetIdByMsgId.remove(msgId);
    if (packetId != null) {
      inFlight.remove(packetId);
    }
  }

  int inFlightCount() {
    return inFlight.size();
  }

  /**
   * MQTT counts any packet as a sign of life, and a busy client sends no PINGREQ; the session renews the device's
   * route only on PING. True when a PING should be forwarded on the client's behalf: half an interval has passed
   * since the last one.
   */
  boolean heartbeatDue(long nowNanos) {
    return accepted && nowNanos - lastPingNanos >= heartbeatIntervalMs * 500_000L;
  }

  /** A PING was forwarded to the session; {@code answer}: the client asked and gets a PINGRESP. */
  void pingForwarded(boolean answer, long nowNanos) {
    pings.add(answer);
    lastPingNanos = nowNanos;
  }

  /** Holds a reply until CONNACK; false when {@code max} are already held. */
  boolean holdReply(MqttMessage reply, int max) {
    if (heldReplies.size() >= max) {
      return false;
    }
    heldReplies.add(reply);
    return true;
  }

  /** The held replies, in order; none are held afterwards. */
  List<MqttMessage> takeHeldReplies() {
    List<MqttMessage> replies = List.copyOf(heldReplies);
    heldReplies.clear();
    return replies;
  }

  /** The session answered a PING: whether the client gets a PINGRESP for it. */
  boolean answerPong() {
    Boolean answer = pings.poll();
    return answer == null || answer;
  }
}
