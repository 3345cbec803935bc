package eu.visio.media.relay;

import java.util.concurrent.TimeUnit;

/**
 * When a link re-keys and how long it still opens the key it left (see {@link LinkHandshake} and
 * {@link LinkOpeners}).
 *
 * @param intervalNanos a fresh X25519 exchange after this long under one key
 * @param packets or after this many datagrams sealed under one key, if sooner (at most {@link
 *     LinkSealer#REKEY_PACKETS}, the AES-GCM usage bound)
 * @param graceNanos the previous key still opens this long after the first datagram under the new
 *     one
 * @param maxGraceNanos and at most this long after the new key arrived
 */
public record RekeyPolicy(long intervalNanos, long packets, long graceNanos, long maxGraceNanos) {
  /** Every 10 minutes or 2^23 datagrams; the previous key kept 2 s (30 s at most). */
  public static final RekeyPolicy DEFAULT =
      new RekeyPolicy(
          TimeUnit.MINUTES.toNanos(10),
          LinkSealer.REKEY_PACKETS,
          TimeUnit.SECONDS.toNanos(2),
          TimeUnit.SECONDS.toNanos(30));

  public RekeyPolicy {
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("re-key interval must be positive");
    }
    if (packets <= 0 || packets > LinkSealer.REKEY_PACKETS) {
      throw new IllegalArgumentException(
          "re-key packets must be in 1.." + LinkSealer.REKEY_PACKETS);
    }
    if (graceNanos < 0 || maxGraceNanos < graceNanos) {
      throw new IllegalArgumentException("grace must be in 0..maxGrace");
    }
  }

  /** The receiving side's openers under this policy. */
  public LinkOpeners openers() {
    return new LinkOpeners(graceNanos, maxGraceNanos);
  }
}
