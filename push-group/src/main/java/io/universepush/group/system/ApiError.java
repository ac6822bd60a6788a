package io.universepush.group.system;

/** Every error the API answers: a stable machine-readable code and a human-readable message. */
public record ApiError(String error, String message) {}
