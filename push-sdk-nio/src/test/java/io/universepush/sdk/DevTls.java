package io.universepush.sdk;

import io.universepush.embedded.DevCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** One development certificate per test JVM (keytool is slow), and TLS contexts for both sides of it. */
final class DevTls {
  private static DevCertificates certificates;

  private DevTls() {}

  static synchronized DevCertificates certificates() throws IOException {
    if (certificates == null) {
      certificates = DevCertificates.create(Files.createTempDirectory("universe-push-sdk-tls"));
    }
    return certificates;
  }

  /** The fake connector's side: the key and certificate for localhost and 127.0.0.1. */
  static SSLContext serverContext() throws Exception {
    DevCertificates dev = certificates();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dev.keyStore())) {
      keys.load(in, dev.password().toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, dev.password().toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  /** A client that trusts the development certificate, as an app would for a self-signed one. */
  static SSLContext clientContext() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(certificates().loadTrustStore());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
