package io.universepush.sdk.aio;

import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Records what a client tells the app: connection events as text, messages as they came. */
final class RecordingListener implements PushListener {
  final BlockingQueue<String> events = new LinkedBlockingQueue<String>();
  final BlockingQueue<PushMessage> messages = new LinkedBlockingQueue<PushMessage>();

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
    messages.add(message);
  }
}
