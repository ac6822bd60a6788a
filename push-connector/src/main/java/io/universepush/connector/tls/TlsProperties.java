package io.universepush.connector.tls;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The device listener behind TLS, under {@code universe.push.connector.tls}. It runs next to the plain TCP listener,
 * with the same protocol and pipeline. The key comes either from a key store or from a PEM certificate chain and key.
 *
 * @param enabled opens the TLS listener. Default false.
 * @param port TLS port for devices; 0 picks a free port (tests). Default 6790.
 * @param keyStore path of a key store holding the private key and its certificate chain.
 * @param keyStorePassword password of the key store and of its key.
 * @param keyStoreType type of the key store. Default PKCS12.
 * @param certificate path of a PEM certificate chain (the server's certificate first); used with {@code privateKey}
 *     when no key store is given.
 * @param privateKey path of the PEM private key (PKCS#8, {@code BEGIN PRIVATE KEY}, unencrypted).
 * @param protocols TLS versions offered. Default TLSv1.3, TLSv1.2.
 * @param handshakeTimeout a connection that has not completed its handshake by then is closed. Default 10s.
 */
@ConfigurationProperties("universe.push.connector.tls")
public record TlsProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("6790") int port,
    String keyStore,
    String keyStorePassword,
    @DefaultValue("PKCS12") String keyStoreType,
    String certificate,
    String privateKey,
    @DefaultValue({"TLSv1.3", "TLSv1.2"}) List<String> protocols,
    @DefaultValue("10s") Duration handshakeTimeout) {

  public TlsProperties {
    require(port >= 0 && port <= 65535, "port must be 0..65535");
    require(protocols != null && !protocols.isEmpty(), "protocols must name at least one TLS version");
    require(
        handshakeTimeout != null && !handshakeTimeout.isNegative() && !handshakeTimeout.isZero(),
        "handshake-timeout must be positive");
    protocols = List.copyOf(protocols);
  }

  boolean hasKeyStore() {
    return keyStore != null && !keyStore.isBlank();
  }

  boolean hasPemPair() {
    return certificate != null && !certificate.isBlank() && privateKey != null && !privateKey.isBlank();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("universe.push.connector.tls." + message);
    }
  }
}
