/** The {@code push-cli} command line (needs picocli, an optional dependency of the SDK). */
package io.universepush.sdk.cli;
