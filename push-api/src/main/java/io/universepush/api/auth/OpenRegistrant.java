package io.universepush.api.auth;

/**
 * A device registering with the app id alone ({@code X-App-Id}, no credentials) in an app whose registration is
 * open. Already counted against the open-registration limits per client IP and per app.
 */
public record OpenRegistrant(String appId) implements Caller {}
