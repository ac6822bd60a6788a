package io.universepush.store.message;

/** One message waiting for one device: a member of the device's pending set. */
public record PendingEntry(String regId, String msgId) {}
