package io.universepush.store.device;

import java.util.Set;

/** A registered device of one app. The token is not held here, only checked through {@link DeviceStore}. */
public record Device(
    String appId, String regId, String platform, String alias, Set<String> tags, long createdAtMs) {}
