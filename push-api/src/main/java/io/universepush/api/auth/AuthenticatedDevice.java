package io.universepush.api.auth;

/** One device of an app, authenticated by its own token ({@code Authorization: Device reg_id:token}). */
public record AuthenticatedDevice(String appId, String regId) implements Caller {}
