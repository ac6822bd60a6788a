package io.universepush.connector.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * Builds the server {@link SslContext} from {@link TlsProperties}, failing with a message that names the setting at
 * fault: a connector that was asked for TLS must not start without it.
 */
public final class TlsContextFactory {
  private static final String PREFIX = "universe.push.connector.tls.";

  private TlsContextFactory() {}

  public static SslContext create(TlsProperties tls) {
    try {
      return builder(tls).sslProvider(SslProvider.JDK).protocols(tls.protocols()).clientAuth(ClientAuth.NONE).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot set up TLS for devices: " + rootMessage(e), e);
    }
  }

  private static SslContextBuilder builder(TlsProperties tls) {
    if (tls.hasKeyStore()) {
      return SslContextBuilder.forServer(keyManagers(tls));
    }
    if (tls.hasPemPair()) {
      // Netty reads PEM itself: the chain, then a PKCS#8 key.
      return SslContextBuilder.forServer(
          readable(tls.certificate(), "certificate"), readable(tls.privateKey(), "private-key"));
    }
    throw new IllegalStateException(
        PREFIX + "enabled is true but no key is configured: set " + PREFIX + "key-store (with key-store-password) or "
            + PREFIX + "certificate and " + PREFIX + "private-key (PEM files)");
  }

  private static KeyManagerFactory keyManagers(TlsProperties tls) {
    Path path = readable(tls.keyStore(), "key-store").toPath();
    char[] password = tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
    KeyStore store;
    try (InputStream in = Files.newInputStream(path)) {
      store = KeyStore.getInstance(tls.keyStoreType());
      store.load(in, password);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IllegalStateException(
            "cannot open " + PREFIX + "key-store " + path + ": wrong " + PREFIX + "key-store-password", e);
      }
      throw new IllegalStateException(
          "cannot open " + PREFIX + "key-store " + path + " (type " + tls.keyStoreType() + "): " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot open " + PREFIX + "key-store " + path + " (type " + tls.keyStoreType() + "): " + e.getMessage(), e);
    }
    try {
      boolean hasKey = false;
      for (String alias : Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new IllegalStateException(
            PREFIX + "key-store " + path + " holds no private key (a trust store instead of a key store?)");
      }
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory;
    } catch (UnrecoverableKeyException e) {
      throw new IllegalStateException(
          "cannot read the key in " + PREFIX + "key-store " + path + ": wrong " + PREFIX + "key-store-password", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key in " + path + ": " + e.getMessage(), e);
    }
  }

  private static File readable(String location, String setting) {
    Path path = Path.of(location);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalStateException(PREFIX + setting + " " + path.toAbsolutePath() + " is not a readable file");
    }
    return path.toFile();
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
