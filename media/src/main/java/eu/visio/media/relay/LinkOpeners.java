package eu.visio.media.relay;

/**
 * The receiving side of a link's keys across re-keys (receive thread only): an opener per key
 * phase, the current epoch's and, for a grace period, the previous epoch's, so that datagrams the
 * peer sealed just before it switched still open. DATA names its key by the phase bit (the top bit
 * of its sequence field); nothing is tried twice, nothing allocates per datagram.
 *
 * <p>The previous epoch's opener is destroyed {@code grace} after the first datagram opened under
 * the new key (the peer has switched; what it sealed before is in flight for a round trip at most),
 * or {@code maxGrace} after the new key arrived if the peer sends nothing under it. The epoch after
 * next takes the previous opener's slot in any case. Keys of epoch 0 mean a new session (the peer
 * restarted): every older opener goes at once.
 */
public final class LinkOpeners {
  private final long graceNanos;
  private final long maxGraceNanos;
  private final LinkOpener[] slots = new LinkOpener[2];
  private LinkKeys installed;
  private int current;
  private boolean newKeyHeard;
  private boolean retiring;
  private long retireAtNanos;

  /**
   * @param graceNanos how long the previous key still opens after the peer's first datagram under
   *     the new one
   * @param maxGraceNanos how long it opens at most after the new key arrived
   */
  public LinkOpeners(long graceNanos, long maxGraceNanos) {
    if (graceNanos < 0 || maxGraceNanos < graceNanos) {
      throw new IllegalArgumentException("grace " + graceNanos + ", max " + maxGraceNanos);
    }
    this.graceNanos = graceNanos;
    this.maxGraceNanos = maxGraceNanos;
  }

  /** Takes the handshake's newest keys if they are not the ones installed (cheap when they are). */
  public void update(LinkKeys keys, long nowNanos) {
    if (keys == installed || keys == null) {
      return;
    }
    int phase = keys.phase();
    if (installed == null || keys.epoch() == 0 || keys.epoch() != installed.epoch() + 1) {
      destroy(0);
      destroy(1);
      retiring = false;
    } else {
      destroy(phase); // the epoch before the previous one
      retiring = slots[phase ^ 1] != null;
      retireAtNanos = nowNanos + maxGraceNanos;
    }
    slots[phase] = keys.opener();
    current = phase;
    installed = keys;
    newKeyHeard = false;
  }

  /**
   * Opens a DATA datagram under the key its phase bit names (see {@link LinkOpener#open}).
   *
   * @return null when it opened, else why it was refused
   */
  public LinkDropReason open(byte[] buf, int off, int len, long nowNanos) {
    expire(nowNanos);
    if (installed == null) {
      return LinkDropReason.NOT_ESTABLISHED;
    }
    if (len < LinkDatagram.OVERHEAD || len > LinkDatagram.MAX_DATAGRAM) {
      return LinkDropReason.MALFORMED_DATA;
    }
    int phase = (buf[off + 1] >>> 7) & 1;
    LinkOpener o = slots[phase];
    if (o == null) {
      return LinkDropReason.AUTH_FAILED; // sealed under a key gone (or never held)
    }
    LinkDropReason r = o.open(buf, off, len);
    if (r == null && phase == current && !newKeyHeard) {
      newKeyHeard = true;
      if (retiring && nowNanos + graceNanos - retireAtNanos < 0) {
        retireAtNanos = nowNanos + graceNanos;
      }
    }
    return r;
  }

  /** Destroys the previous epoch's opener once its grace is over (called on every datagram). */
  public void expire(long nowNanos) {
    if (retiring && nowNanos - retireAtNanos >= 0) {
      retiring = false;
      destroy(current ^ 1);
    }
  }

  /** The epoch of the newest keys installed, or -1 before any. */
  public int epoch() {
    return installed == null ? -1 : installed.epoch();
  }

  /** True while the previous epoch's key still opens. */
  public boolean previousKeyHeld() {
    return slots[current ^ 1] != null;
  }

  private void destroy(int phase) {
    LinkOpener o = slots[phase];
    if (o != null) {
      o.destroy();
      slots[phase] = null;
    }
  }

  @Override
  public String toString() {
    return "LinkOpeners[epoch=" + epoch() + ", previous held=" + previousKeyHeld() + "]";
  }
}
