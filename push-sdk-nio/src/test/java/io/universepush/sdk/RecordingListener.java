package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a client tells the app, in order. */
final class RecordingListener implements PushListener {
  final BlockingQueue<String> events = new LinkedBlockingQueue<String>();
  final BlockingQueue<PushMessage> messages = new LinkedBlockingQueue<PushMessage>();

  @Override
  public void onConnecting() {
    events.add("connecting");
  }

  @Override
  public void onConnected(String nodeId) {
    events.add("connected " + nodeId);
  }

  @Override
  public void onDisconnected(String reason) {
    events.add("disconnected " + reason);
  }

  @Override
  public void onMessage(PushMessage message) {
    events.add("message " + message.msgId());
    messages.add(message);
  }

  @Override
  public void onBindingRejected(String appId, String regId, String reason) {
    events.add("binding rejected " + appId + "/" + regId + ": " + reason);
  }

  @Override
  public void onFanoutLost(String appId, String regId) {
    events.add("fanout lost " + appId + "/" + regId);
  }

  @Override
  public void onGroupMessagesLost(String appId, String regId, String groupId) {
    events.add("group lost " + appId + "/" + regId + " " + groupId);
  }

  String nextEvent() throws InterruptedException {
    String event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a listener event within 10 s").isNotNull();
    return event;
  }

  PushMessage nextMessage() throws InterruptedException {
    PushMessage message = messages.poll(10, TimeUnit.SECONDS);
    assertThat(message).as("a message within 10 s").isNotNull();
    return message;
  }
}
