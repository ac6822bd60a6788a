package io.universepush.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The pending answer to an upstream message: a {@link Future} of the server's {@link PublishResult} (a refusal is a
 * result with its code), failed with a {@link PublishException} (wrapped in an {@link ExecutionException} by {@link
 * #get()}) when the message got no answer. Plain Java 8 with no API above Android's level 1, so it needs neither
 * {@code CompletableFuture} (API 24) nor library desugaring. Block with {@link #get(long, TimeUnit)} off the main
 * thread, or register a {@link Callback} with {@link #whenDone}.
 *
 * <p>{@link #cancel} only stops waiting: the message may still reach the server. Thread-safe.
 */
public class PublishFuture implements Future<PublishResult> {
  private static final Logger LOG = Logger.getLogger(PublishFuture.class.getName());

  /** Told once how an upstream message ended. */
  public interface Callback {
    void onResult(PublishResult result);

    void onFailure(PublishException failure);
  }

  private PublishResult result;
  private PublishException failure;
  private boolean cancelled;
  private List<Callback> callbacks = new ArrayList<Callback>();

  /** Completed by the client; apps get theirs from it. */
  protected PublishFuture() {}

  /**
   * Calls {@code callback} once the message has its answer or has failed: on the client's I/O thread (keep it short,
   * as for {@link PushListener}), or at once on the caller's thread when that already happened. Not after {@link
   * #cancel}. Exceptions it throws are logged.
   */
  public final void whenDone(Callback callback) {
    if (callback == null) {
      throw new IllegalArgumentException("callback is null");
    }
    synchronized (this) {
      if (callbacks != null) {
        callbacks.add(callback);
        return;
      }
    }
    call(callback);
  }

  /** Settles the future with the server's answer; false when it was already settled. */
  protected final boolean complete(PublishResult answer) {
    return settle(answer, null, false);
  }

  /** Settles the future without an answer; false when it was already settled. */
  protected final boolean fail(PublishException e) {
    return settle(null, e, false);
  }

  private boolean settle(PublishResult answer, PublishException e, boolean cancel) {
    List<Callback> waiting;
    synchronized (this) {
      if (callbacks == null) {
        return false;
      }
      result = answer;
      failure = e;
      cancelled = cancel;
      waiting = callbacks;
      callbacks = null;
      notifyAll();
    }
    if (!cancel) {
      for (Callback callback : waiting) {
        call(callback);
      }
    }
    return true;
  }

  private void call(Callback callback) {
    PublishResult r;
    PublishException e;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      r = result;
      e = failure;
    }
    try {
      if (r != null) {
        callback.onResult(r);
      } else {
        callback.onFailure(e);
      }
    } catch (RuntimeException thrown) {
      LOG.log(Level.WARNING, "PublishFuture.Callback threw", thrown);
    }
  }

  /** Stops waiting for the answer (the message may still have been sent); true when it was not settled yet. */
  @Override
  public final boolean cancel(boolean mayInterruptIfRunning) {
    return settle(null, null, true);
  }

  @Override
  public final synchronized boolean isCancelled() {
    return cancelled;
  }

  @Override
  public final synchronized boolean isDone() {
    return callbacks == null;
  }

  @Override
  public final synchronized PublishResult get() throws InterruptedException, ExecutionException {
    while (callbacks != null) {
      wait();
    }
    return outcome();
  }

  @Override
  public final synchronized PublishResult get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (callbacks != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("no answer within " + timeout + " " + unit);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return outcome();
  }

  private PublishResult outcome() throws ExecutionException {
    if (cancelled) {
      throw new CancellationException();
    }
    if (failure != null) {
      throw new ExecutionException(failure.getMessage(), failure);
    }
    return result;
  }

  @Override
  public synchronized String toString() {
    return "PublishFuture{"
        + (callbacks != null ? "pending" : cancelled ? "cancelled" : result != null ? result : failure.getMessage())
        + "}";
  }
}
