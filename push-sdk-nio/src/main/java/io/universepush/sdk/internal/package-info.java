/**
 * Transport-independent pieces of the client (protocol session, back-off, frame reader, endpoint choice, HTTP). Public
 * so that other transports of this project (push-sdk-aio) reuse them; not a stable API for apps.
 */
package io.universepush.sdk.internal;
