package io.universepush.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for loopback, made with the JDK's own {@code keytool} when asked for: for tests and for
 * trying TLS in standalone mode. No key is ever committed or shipped; production brings its own certificate.
 *
 * <p>The key store (PKCS12) holds the key and certificate for {@code localhost} and {@code 127.0.0.1}; the trust
 * store (PKCS12) and the PEM file hold the certificate alone, for clients.
 */
public final class DevCertificates {
  private static final String ALIAS = "universe-push-dev";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final Path keyStore;
  private final Path trustStore;
  private final Path certificatePem;
  private final String password;

  private DevCertificates(Path keyStore, Path trustStore, Path certificatePem, String password) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.certificatePem = certificatePem;
    this.password = password;
  }

  /** Creates a fresh key pair and certificate in {@code dir} (created if missing), valid for ten years. */
  public static DevCertificates create(Path dir) {
    try {
      Files.createDirectories(dir);
      Path keyStore = dir.resolve("dev-keystore.p12");
      Path trustStore = dir.resolve("dev-truststore.p12");
      Path pem = dir.resolve("dev-certificate.pem");
      Files.deleteIfExists(keyStore);
      Files.deleteIfExists(trustStore);
      String password = randomPassword();
      keytool(
          "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
          "-validity", "3650", "-dname", "CN=localhost, O=Universe Push development",
          "-ext", "SAN=dns:localhost,ip:127.0.0.1",
          "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password);
      keytool(
          "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", password,
          "-file", pem.toString());
      keytool(
          "-importcert", "-noprompt", "-alias", ALIAS, "-file", pem.toString(),
          "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", password);
      return new DevCertificates(keyStore, trustStore, pem, password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a development certificate in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** PKCS12 with the private key and its certificate, under {@link #password()}. */
  public Path keyStore() {
    return keyStore;
  }

  /** PKCS12 with the certificate only, under {@link #password()}: what a client trusts. */
  public Path trustStore() {
    return trustStore;
  }

  /** The certificate alone, PEM encoded. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** Protects both stores (random per creation). */
  public String password() {
    return password;
  }

  public String alias() {
    return ALIAS;
  }

  /** The trust store loaded, for an {@code SSLContext} or a {@code TrustManagerFactory}. */
  public KeyStore loadTrustStore() {
    try (InputStream in = Files.newInputStream(trustStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + trustStore + ": " + e.getMessage(), e);
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
  }

  @Override
  public String toString() {
    return "DevCertificates[" + keyStore.getParent() + File.separator + "]";
  }
}
