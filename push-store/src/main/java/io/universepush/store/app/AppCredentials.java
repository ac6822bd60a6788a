package io.universepush.store.app;

/** An app with its secret in plain text: returned once, at creation or rotation. */
public record AppCredentials(App app, String secret) {}
