package io.universepush.web;

/** Every error the HTTP APIs answer: a stable machine-readable code and a human-readable message. */
public record ApiError(String error, String message) {}
