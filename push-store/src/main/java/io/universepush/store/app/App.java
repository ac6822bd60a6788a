package io.universepush.store.app;

/** A tenant of the push service. The secret is never held here, only checked through {@link AppStore}. */
public record App(String appId, String name, long createdAtMs) {}
