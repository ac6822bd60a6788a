package io.universepush.store.device;

/** A device with its token in plain text: returned once, at registration. */
public record DeviceRegistration(Device device, String token) {}
