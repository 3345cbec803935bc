package eu.visio.signal.cluster;

import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import javax.crypto.Mac;

/**
 * Decides whether an incoming frame is accepted: size, MAC, recipient, clock, sender's boot,
 * sequence, type, in that order (nothing unauthenticated is parsed past its length, and only
 * authenticated frames move the replay state). One thread only: the bus's dispatch thread.
 */
final class BusVerifier {
  /** How far a frame's timestamp may be from our clock (clock skew plus Redis delay). */
  static final long MAX_SKEW_MS = 30_000;

  /** The outcome for one frame. */
  sealed interface Verdict {}

  record Accepted(BusMessage message) implements Verdict {}

  record Rejected(BusRejection reason) implements Verdict {}

  // Newest boot seen per sender and the last sequence accepted in it. A sender's sequence grows
  // by one per frame in the order Redis delivers them (it sends under a lock on one connection).
  private static final class SenderState {
    long boot;
    long sequence;

    SenderState(long boot, long sequence) {
      this.boot = boot;
      this.sequence = sequence;
    }
  }

  private final Mac mac;
  private final String self;
  private final InstantSource clock;
  private final IntPredicate knownType;
  private final Map<String, SenderState> senders = new HashMap<>();

  BusVerifier(ClusterSecret secret, String self, InstantSource clock, IntPredicate knownType) {
    this.mac = secret.newMac();
    this.self = self;
    this.clock = clock;
    this.knownType = knownType;
  }

  Verdict verify(byte[] frame) {
    if (frame.length > BusFrame.MAX_FRAME) {
      return new Rejected(BusRejection.OVERSIZE);
    }
    if (frame.length < BusFrame.MAC_LENGTH) {
      return new Rejected(BusRejection.MALFORMED);
    }
    if (!BusFrame.authentic(mac, frame)) {
      return new Rejected(BusRejection.BAD_MAC);
    }
    BusFrame.Decoded d = BusFrame.decode(frame);
    if (d == null) {
      return new Rejected(BusRejection.MALFORMED);
    }
    if (!d.recipient().equals(self) && !d.recipient().equals(BusFrame.BROADCAST)) {
      return new Rejected(BusRejection.WRONG_RECIPIENT);
    }
    BusMessage m = d.message();
    if (Math.abs(clock.millis() - m.timestamp()) > MAX_SKEW_MS) {
      return new Rejected(BusRejection.STALE_TIMESTAMP);
    }
    SenderState state = senders.get(m.sender());
    if (state == null) {
      senders.put(m.sender(), new SenderState(m.senderBoot(), m.sequence()));
    } else if (m.senderBoot() < state.boot) {
      return new Rejected(BusRejection.STALE_BOOT);
    } else if (m.senderBoot() > state.boot) {
      state.boot = m.senderBoot();
      state.sequence = m.sequence();
    } else if (m.sequence() <= state.sequence) {
      return new Rejected(BusRejection.REPLAYED);
    } else {
      state.sequence = m.sequence();
    }
    if (!knownType.test(m.type())) {
      return new Rejected(BusRejection.UNKNOWN_TYPE);
    }
    return new Accepted(m);
  }
}
