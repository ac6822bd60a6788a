package io.universepush.api.auth;

/** The app a request was authenticated as; every app-facing endpoint takes one and only sees that app's data. */
public record AuthenticatedApp(String appId) {}
