package io.universepush.sdk.internal;

import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Shields the client's I/O thread from exceptions in app code, and tells the session whether the app handled a push.
 * Not public API.
 */
public final class SafeListener implements PushListener {
  private static final Logger LOG = Logger.getLogger(SafeListener.class.getName());

  private final PushListener delegate;

  public SafeListener(PushListener delegate) {
    this.delegate = delegate;
  }

  /** {@code listener} itself when it is already a SafeListener, else one around it. */
  public static SafeListener of(PushListener listener) {
    return listener instanceof SafeListener ? (SafeListener) listener : new SafeListener(listener);
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
    deliver(message);
  }

  /**
   * Gives the app a push; true when {@code onMessage} returned normally. A listener that throws has not handled the
   * message: the client neither marks nor acknowledges it, and the server sends it again.
   */
  public boolean deliver(PushMessage message) {
    try {
      delegate.onMessage(message);
      return true;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "PushListener.onMessage threw for " + message.msgId() + "; not acknowledged, the server will send it again",
          e);
      return false;
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

  @Override
  public void onGroupMessagesLost(String appId, String regId, String groupId) {
    try {
      delegate.onGroupMessagesLost(appId, regId, groupId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PushListener.onGroupMessagesLost threw", e);
    }
  }
}
