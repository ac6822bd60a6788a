/**
 * Universe Push client SDK for Java 8 and Android, on java.nio: {@link io.universepush.sdk.PushClient} (connect,
 * heartbeat, receive, acknowledge, de-duplicate, reconnect), {@link io.universepush.sdk.DeviceRegistrar} (register a
 * device, look up its route over HTTP), the {@link io.universepush.sdk.DedupStore}s and the
 * {@link io.universepush.sdk.PositionStore}s. Depends on push-protocol and
 * protobuf only.
 */
package io.universepush.sdk;
