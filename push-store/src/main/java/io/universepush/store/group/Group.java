package io.universepush.store.group;

/**
 * A group of an app's devices: members receive every message sent to it (but their own), in sequence order.
 *
 * @param owner the reg id that created it (may be empty when the app's server created it)
 */
public record Group(String groupId, String appId, String name, String owner, long createdAtMs) {}
