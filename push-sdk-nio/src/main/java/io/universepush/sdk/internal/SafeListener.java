package io.universepush.sdk.internal;

import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Shields the client's I/O thread from exceptions in app code. Not public API. */
public final class SafeListener implements PushListener {
  private static final Logger LOG = Logger.getLogger(SafeListener.class.getName());

  private final PushListener delegate;

  public SafeListener(PushListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onConnecting() {
    try {
      delegate.onConnecting();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PushListener.onConnecting threw", e);
    }
  }

  @Override
  public void onConnected(String nodeId) {
    try {
      delegate.onConnected(nodeId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PushListener.onConnected threw", e);
    }
  }

  @Override
  public void onDisconnected(String reason) {
    try {
      delegate.onDisconnected(reason);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PushListener.onDisconnected threw", e);
    }
  }

  @Override
  public void onMessage(PushMessage message) {
    try {
      delegate.onMessage(message);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PushListener.onMessage threw for " + message.msgId(), e);
    }
  }

  @Override
  public void onBindingRejected(String appId, String regId, String reason) {
    try {
      delegate.onBindingRejected(appId, regId, reason);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PushListener.onBindingRejected threw", e);
    }
  }

  @Override
  public void onFanoutLost(String appId, String regId) {
    try {
      delegate.onFanoutLost(appId, regId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PushListener.onFanoutLost threw", e);
    }
  }
}
