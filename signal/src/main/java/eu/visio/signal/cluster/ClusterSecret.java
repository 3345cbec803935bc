package eu.visio.signal.cluster;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every node of a cluster shares to authenticate its bus messages (HMAC-SHA256). At
 * least 32 bytes, the HMAC-SHA256 block strength; its {@link #toString} never shows it, so it
 * cannot leak through a logged configuration.
 */
public final class ClusterSecret {
  static final int MIN_BYTES = 32;

  private final byte[] key;

  private ClusterSecret(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the cluster secret must have at least " + MIN_BYTES + " bytes, not " + key.length);
    }
    this.key = key.clone();
  }

  public static ClusterSecret of(byte[] key) {
    return new ClusterSecret(key);
  }

  /** The secret as configured (a string of at least 32 UTF-8 bytes, as LiveKit API secrets). */
  public static ClusterSecret of(String secret) {
    return new ClusterSecret(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** A new HMAC-SHA256 keyed with this secret; not thread-safe, so one per thread that signs. */
  Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /**
   * A key of its own for {@code purpose} (HMAC-SHA256 of the purpose under the secret), so that a
   * protocol besides the bus (cascade links) never uses the bus's key itself.
   */
  public byte[] derive(String purpose) {
    return newMac().doFinal(purpose.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSecret other && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "ClusterSecret[redacted]";
  }
}
