package io.universepush.connector.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.universepush.embedded.DevCertificates;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS settings fail fast with a message naming what is wrong, and both key formats load. */
class TlsContextFactoryTest {
  @TempDir static Path dir;
  private static DevCertificates certificates;

  @BeforeAll
  static void createCertificate() {
    certificates = DevCertificates.create(dir);
  }

  @Test
  void keyStoreLoads() {
    SslContext context =
        TlsContextFactory.create(keyStore(certificates.keyStore().toString(), certificates.password()));
    assertThat(context.isServer()).isTrue();
  }

  @Test
  void pemCertificateAndPkcs8KeyLoad() throws Exception {
    Path key = dir.resolve("dev-key.pem");
    Files.writeString(key, pkcs8Pem(), StandardCharsets.US_ASCII);
    TlsProperties pem =
        new TlsProperties(
            true, 0, null, null, "PKCS12", certificates.certificatePem().toString(), key.toString(),
            List.of("TLSv1.3", "TLSv1.2"), Duration.ofSeconds(10));

    assertThat(TlsContextFactory.create(pem).isServer()).isTrue();
  }

  @Test
  void enabledWithoutAnyKeyIsRefused() {
    assertThatThrownBy(() -> TlsContextFactory.create(keyStore(null, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("universe.push.connector.tls.key-store")
        .hasMessageContaining("universe.push.connector.tls.certificate");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> TlsContextFactory.create(keyStore(dir.resolve("nope.p12").toString(), "x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nope.p12")
        .hasMessageContaining("not a readable file");
  }

  @Test
  void wrongPasswordIsNamed() {
    assertThatThrownBy(() -> TlsContextFactory.create(keyStore(certificates.keyStore().toString(), "wrong")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("key-store-password");
  }

  @Test
  void trustStoreInsteadOfKeyStoreIsRefused() {
    assertThatThrownBy(
            () -> TlsContextFactory.create(keyStore(certificates.trustStore().toString(), certificates.password())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds no private key");
  }

  private static TlsProperties keyStore(String path, String password) {
    return new TlsProperties(
        true, 0, path, password, "PKCS12", null, null, List.of("TLSv1.3", "TLSv1.2"), Duration.ofSeconds(10));
  }

  private static String pkcs8Pem() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificates.keyStore())) {
      store.load(in, certificates.password().toCharArray());
    }
    PrivateKey key = (PrivateKey) store.getKey(certificates.alias(), certificates.password().toCharArray());
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
