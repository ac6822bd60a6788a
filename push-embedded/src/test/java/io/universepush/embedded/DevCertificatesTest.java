package io.universepush.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertificatesTest {
  @TempDir Path dir;

  @Test
  void createsAKeyStoreForLoopbackAndATrustStoreWithItsCertificateOnly() throws Exception {
    DevCertificates certificates = DevCertificates.create(dir);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificates.keyStore())) {
      keys.load(in, certificates.password().toCharArray());
    }
    assertThat(keys.isKeyEntry(certificates.alias())).isTrue();
    X509Certificate certificate = (X509Certificate) keys.getCertificate(certificates.alias());
    assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
    assertThat(certificate.getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .containsExactlyInAnyOrder("localhost", "127.0.0.1");

    KeyStore trust = certificates.loadTrustStore();
    assertThat(trust.isCertificateEntry(certificates.alias())).isTrue();
    assertThat(trust.getCertificate(certificates.alias())).isEqualTo(certificate);
    assertThat(Files.readString(certificates.certificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void everyCreationHasItsOwnKeyAndPassword() {
    DevCertificates first = DevCertificates.create(dir.resolve("a"));
    DevCertificates second = DevCertificates.create(dir.resolve("b"));

    assertThat(first.password()).isNotEqualTo(second.password());
    assertThat(List.of(first.keyStore(), second.keyStore())).allSatisfy(p -> assertThat(p).exists());
    assertThat(first.loadTrustStore()).isNotNull();
  }
}
