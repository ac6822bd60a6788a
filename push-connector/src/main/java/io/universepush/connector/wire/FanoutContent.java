package io.universepush.connector.wire;

import io.universepush.rpc.connector.Delivery;

/**
 * A tag, app-wide or group message as the one content every session of its audience shares. Its version-3 body,
 * all of it but the fields that differ per binding, is encoded once, on first use, and then written as the same bytes
 * to every session that takes it (see {@link PushFrame}). Never serialized: it lives within one connector.
 */
public final class FanoutContent extends Delivery {
  private static final long serialVersionUID = 1L;

  /** Computed at most a few times under a race, always to the same bytes. */
  private transient volatile byte[] sharedBody;

  /** Null for tag and app-wide pushes. */
  private final String groupId;
  private final String sender;

  public FanoutContent() {
    this(null, null);
  }

  public FanoutContent(String groupId, String sender) {
    this.groupId = groupId;
    this.sender = sender == null ? "" : sender;
    setFanout(true);
  }

  /** The group of a group message, or null. */
  public String groupId() {
    return groupId;
  }

  /** The reg id that sent a group message ("" for the app's server and for other pushes). */
  public String sender() {
    return sender;
  }

  byte[] sharedBody() {
    byte[] body = sharedBody;
    if (body == null) {
      body = PushFrame.sharedBodyOf(this);
      sharedBody = body;
    }
    return body;
  }
}
