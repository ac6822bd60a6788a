package io.universepush.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets, tokens and ids, and the SHA-256 hashes under which secrets are stored. */
final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
  private static final HexFormat HEX = HexFormat.of();

  private Secrets() {}

  /** 256 random bits, URL-safe base64 (43 characters). */
  static String newSecret() {
    return URL_SAFE.encodeToString(randomBytes(32));
  }

  /** 128 random bits, URL-safe base64 (22 characters): unique without coordination. */
  static String newRegId() {
    return URL_SAFE.encodeToString(randomBytes(16));
  }

  /** 64 random bits as 16 lowercase hex characters; never collides with reserved ids such as {@code legacy}. */
  static String newAppId() {
    return HEX.formatHex(randomBytes(8));
  }

  static String sha256Hex(String value) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HEX.formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Constant-time check of a presented secret against a stored hash; false when either is missing. */
  static boolean matches(String presented, String storedHash) {
    if (presented == null || storedHash == null || presented.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        sha256Hex(presented).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
