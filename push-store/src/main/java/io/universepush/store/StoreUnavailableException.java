package io.universepush.store;

/**
 * The backing store (Redis, ZooKeeper) could not be reached or did not answer in time. Callers treat it as a
 * temporary condition: the HTTP API answers 503, a connector refuses the session and the client retries later.
 */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
