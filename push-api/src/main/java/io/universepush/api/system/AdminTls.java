package io.universepush.api.system;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11JsseProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerSslBundle;

/**
 * HTTPS for the admin listener with the public listener's own TLS settings ({@code server.ssl.*}, usually
 * {@code server.ssl.bundle}): one certificate per process, and the admin port is never plain while the public one is
 * encrypted. Boot applies {@code server.ssl} to its own connector only, so the additional connector gets the same
 * bundle here, configured as Boot configures its own.
 */
final class AdminTls {
  private AdminTls() {}

  /** True when {@code server.ssl} asks for TLS (Boot's own rule). */
  static boolean requested(Ssl ssl) {
    return Ssl.isEnabled(ssl);
  }

  static void apply(Connector connector, Ssl ssl, SslBundles bundles) {
    SslBundle bundle = WebServerSslBundle.get(ssl, bundles);
    if (!(connector.getProtocolHandler() instanceof AbstractHttp11JsseProtocol<?> protocol)) {
      throw new IllegalStateException("the admin listener's protocol cannot do TLS: " + connector.getProtocolHandler());
    }
    SslStoreBundle stores = bundle.getStores();
    SslBundleKey key = bundle.getKey();
    SSLHostConfig host = new SSLHostConfig();
    host.setHostName(protocol.getDefaultSSLHostConfigName());
    host.setSslProtocol(bundle.getProtocol());
    SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
    certificate.setCertificateKeystore(stores.getKeyStore());
    String storePassword = stores.getKeyStorePassword();
    certificate.setCertificateKeystorePassword(storePassword == null ? "" : storePassword);
    if (key.getPassword() != null) {
      certificate.setCertificateKeyPassword(key.getPassword());
    }
    if (key.getAlias() != null) {
      certificate.setCertificateKeyAlias(key.getAlias());
    }
    host.addCertificate(certificate);
    SslOptions options = bundle.getOptions();
    if (options.getEnabledProtocols() != null) {
      host.setProtocols(String.join(",", options.getEnabledProtocols()));
    }
    if (options.getCiphers() != null) {
      host.setCiphers(String.join(",", options.getCiphers()));
    }
    protocol.setSSLEnabled(true);
    protocol.addSslHostConfig(host, true);
    connector.setScheme("https");
    connector.setSecure(true);
  }
}
