package io.universepush.store.fanout;

import io.universepush.store.message.StoredMessage;

/**
 * A tag or app-wide push as published to every connector: the audience and the whole message, so that a connector
 * writes it to its matching sessions without reading the store.
 */
public record FanoutEvent(FanoutEntry entry, StoredMessage message) {}
