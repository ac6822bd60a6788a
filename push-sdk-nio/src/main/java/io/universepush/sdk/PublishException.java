package io.universepush.sdk;

/**
 * An upstream message got no answer: the client was not connected when it was sent (it is never queued for a later
 * connection), or the connection ended before the server's PUB_ACK came. Whether the server took a message that
 * fails with {@link #isAnswerLost()} is unknown; sending it again may deliver it twice.
 */
public final class PublishException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean answerLost;

  public PublishException(String message, boolean answerLost) {
    super(message);
    this.answerLost = answerLost;
  }

  /** True when the message was written and the connection ended before its answer; false when it was never sent. */
  public boolean isAnswerLost() {
    return answerLost;
  }
}
