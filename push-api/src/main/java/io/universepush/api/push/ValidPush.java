package io.universepush.api.push;

import java.util.List;
import java.util.Map;

/** A push that passed validation: its audience as given and what each device will receive. */
record ValidPush(
    List<String> regIds,
    List<String> aliases,
    byte[] payload,
    String title,
    String alert,
    Map<String, String> extras,
    int ttlSeconds) {}
