package io.universepush.connector.mqtt;

/**
 * The topics of the MQTT listener. Each device owns {@code push/{reg_id}} (its pushes, QoS 1) and everything below
 * it ({@code push/{reg_id}/up} for what it sends); nothing else exists.
 */
final class MqttTopics {
  static final String PREFIX = "push/";

  private MqttTopics() {}

  static String device(String regId) {
    return PREFIX + regId;
  }

  /** Whether a client may publish to this topic: its own device topic or one below it. */
  static boolean ownedBy(String topic, String regId) {
    String own = device(regId);
    return topic.equals(own) || topic.startsWith(own + "/");
  }

  static boolean hasWildcard(String topic) {
    return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
  }
}
