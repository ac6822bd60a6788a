package io.universepush.sdk.cli;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TLS context that trusts exactly the certificates of one PEM file, e.g. a self-signed development certificate. */
final class PemTrust {
  private PemTrust() {}

  static SSLContext sslContext(File pem) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certificates;
    InputStream in = new FileInputStream(pem);
    try {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } finally {
      in.close();
    }
    if (certificates.isEmpty()) {
      throw new IOException("no certificate in " + pem);
    }
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    int i = 0;
    for (Certificate certificate : certificates) {
      trusted.setCertificateEntry("ca-" + i++, certificate);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
