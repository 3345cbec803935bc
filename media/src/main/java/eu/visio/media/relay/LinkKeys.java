package eu.visio.media.relay;

import java.util.Arrays;

/**
 * The AES-128 keys and 4-byte IV salts of both directions of a link for one key epoch, as the
 * handshake derived them. Immutable once built, until {@link #destroy} zeroes them (the handshake
 * does so two epochs later, when nothing can use them any more); {@link #toString} never shows
 * them.
 */
public final class LinkKeys {
  private final int epoch;
  private final byte[] sendKey;
  private final byte[] sendSalt;
  private final byte[] receiveKey;
  private final byte[] receiveSalt;

  LinkKeys(int epoch, byte[] sendKey, byte[] sendSalt, byte[] receiveKey, byte[] receiveSalt) {
    this.epoch = epoch;
    this.sendKey = sendKey.clone();
    this.sendSalt = sendSalt.clone();
    this.receiveKey = receiveKey.clone();
    this.receiveSalt = receiveSalt.clone();
  }

  /** The key epoch: 0 for the link's first exchange, one more per re-key. */
  public int epoch() {
    return epoch;
  }

  /** The key phase bit DATA sealed under these keys carries (the epoch's lowest bit). */
  public int phase() {
    return epoch & 1;
  }

  /** A sealer for what this node sends under these keys (one per sending thread). */
  public LinkSealer sealer() {
    return new LinkSealer(sendKey, sendSalt, phase());
  }

  /** An opener for what the peer sends under these keys (one per receiving thread). */
  public LinkOpener opener() {
    return new LinkOpener(receiveKey, receiveSalt);
  }

  /** Zeroes the key material; sealers and openers made before keep working. */
  void destroy() {
    Arrays.fill(sendKey, (byte) 0);
    Arrays.fill(sendSalt, (byte) 0);
    Arrays.fill(receiveKey, (byte) 0);
    Arrays.fill(receiveSalt, (byte) 0);
  }

  /** True once {@link #destroy} zeroed the key material (tests). */
  boolean destroyed() {
    for (byte[] b : new byte[][] {sendKey, sendSalt, receiveKey, receiveSalt}) {
      for (byte x : b) {
        if (x != 0) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "LinkKeys[epoch=" + epoch + ", redacted]";
  }
}
