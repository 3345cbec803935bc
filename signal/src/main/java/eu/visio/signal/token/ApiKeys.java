package eu.visio.signal.token;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The API keys this server accepts and their secrets (LiveKit's {@code keys:} configuration). A
 * secret must be at least 32 bytes: HS256 needs a key as long as its output (RFC 7518 §3.2), and
 * LiveKit refuses shorter secrets too. {@link #toString()} never shows a secret.
 */
public final class ApiKeys {
  /** Shortest secret accepted, in bytes. */
  public static final int MIN_SECRET_BYTES = 32;

  private final Map<String, byte[]> secrets;

  private ApiKeys(Map<String, byte[]> secrets) {
    this.secrets = secrets;
  }

  /** Keys from {@code apiKey → secret}; throws when a secret is too short. */
  public static ApiKeys of(Map<String, String> keys) {
    Map<String, byte[]> m = new java.util.HashMap<>();
    for (Map.Entry<String, String> e : keys.entrySet()) {
      byte[] secret = e.getValue().getBytes(StandardCharsets.UTF_8);
      if (e.getKey().isEmpty() || secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "API key '" + e.getKey() + "': a secret of at least 32 bytes is required");
      }
      m.put(e.getKey(), secret);
    }
    return new ApiKeys(Map.copyOf(m));
  }

  /**
   * Keys in LiveKit's {@code LIVEKIT_KEYS} form: {@code key: secret} pairs, one per line or
   * separated by commas. Throws with the key's name (never the secret) when a pair is malformed.
   */
  public static ApiKeys parse(String text) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String pair : text.split("[,\\n]")) {
      if (pair.isBlank()) {
        continue;
      }
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("API keys: expected 'key: secret' pairs");
      }
      m.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
    }
    return of(m);
  }

  /** The key of {@link #development()}. */
  public static final String DEV_KEY = "devkey";

  /**
   * {@code livekit-server --dev}'s well-known pair, {@code devkey: secret}: for local use only. The
   * one exception to the 32-byte rule, so that LiveKit's tutorials and CLIs work unchanged; a
   * configuration file can never declare a secret this short.
   */
  public static ApiKeys development() {
    return new ApiKeys(Map.of(DEV_KEY, devSecret()));
  }

  /**
   * {@code "secret"} zero-padded to 32 bytes: the JWT library refuses HMAC keys under 256 bits, and
   * HMAC pads a key with zeros to its block size anyway (RFC 2104 §2), so tokens signed with plain
   * {@code secret} by LiveKit's tools verify against it unchanged.
   */
  private static byte[] devSecret() {
    return java.util.Arrays.copyOf("secret".getBytes(StandardCharsets.UTF_8), MIN_SECRET_BYTES);
  }

  /** Whether these are the {@link #development()} keys. */
  public boolean isDevelopment() {
    return secrets.size() == 1 && java.util.Arrays.equals(secrets.get(DEV_KEY), devSecret());
  }

  /** The configured API key names (never the secrets). */
  public java.util.Set<String> keyNames() {
    return secrets.keySet();
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }

  /** The secret of {@code apiKey}, or null. */
  byte[] secret(String apiKey) {
    return apiKey == null ? null : secrets.get(apiKey);
  }

  @Override
  public String toString() {
    return "ApiKeys" + secrets.keySet();
  }
}
