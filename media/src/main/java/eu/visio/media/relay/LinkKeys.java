package eu.visio.media.relay;

/**
 * The AES-128 keys and 4-byte IV salts of both directions of a link, as the handshake derived them.
 * Immutable once built; {@link #toString} never shows them.
 */
public final class LinkKeys {
  private final byte[] sendKey;
  private final byte[] sendSalt;
  private final byte[] receiveKey;
  private final byte[] receiveSalt;

  LinkKeys(byte[] sendKey, byte[] sendSalt, byte[] receiveKey, byte[] receiveSalt) {
    this.sendKey = sendKey.clone();
    this.sendSalt = sendSalt.clone();
    this.receiveKey = receiveKey.clone();
    this.receiveSalt = receiveSalt.clone();
  }

  /** A sealer for what this node sends under these keys (one per sending thread). */
  public LinkSealer sealer() {
    return new LinkSealer(sendKey, sendSalt);
  }

  /** An opener for what the peer sends under these keys (one per receiving thread). */
  public LinkOpener opener() {
    return new LinkOpener(receiveKey, receiveSalt);
  }

  @Override
  public String toString() {
    return "LinkKeys[redacted]";
  }
}
