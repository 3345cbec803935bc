package eu.visio.media.relay;

import static eu.visio.media.relay.LinkCryptoTest.NOW;
import static eu.visio.media.relay.LinkCryptoTest.SECRET;
import static eu.visio.media.relay.LinkCryptoTest.datagram;
import static eu.visio.media.relay.LinkCryptoTest.deliver;
import static eu.visio.media.relay.LinkCryptoTest.hello;
import static eu.visio.media.relay.LinkCryptoTest.plaintext;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.relay.LinkHandshake.Outcome;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The re-key state machine, driven by hand (the wall clock is a number, the receiver's clock too):
 * a fresh exchange per epoch, the sender moving only once the peer confirmed, the receiver opening
 * the previous key for its grace only, and replayed or out-of-step hellos refused.
 */
class LinkRekeyTest {
  static final long SEC = 1_000_000_000L;
  static final long GRACE = 2 * SEC;
  static final long MAX_GRACE = 30 * SEC;

  final SecureRandom random = new SecureRandom();
  final LinkHandshake a = new LinkHandshake("node-a", "node-b", SECRET, random);
  final LinkHandshake b = new LinkHandshake("node-b", "node-a", SECRET, random);

  /** The first exchange: both settled at epoch 0. */
  void establish() {
    assertThat(deliver(hello(a, NOW), b, NOW)).isEqualTo(Outcome.NEW_KEYS);
    assertThat(deliver(hello(b, NOW), a, NOW)).isEqualTo(Outcome.NEW_KEYS);
    assertThat(deliver(hello(a, NOW), b, NOW)).isEqualTo(Outcome.REPEATED);
    assertThat(a.settled()).isTrue();
    assertThat(b.settled()).isTrue();
  }

  /** A starts a re-key; hellos go back and forth as the link would send them, until quiet. */
  static void rekey(LinkHandshake from, LinkHandshake to, long at) {
    assertThat(from.startRekey()).isTrue();
    assertThat(deliver(hello(from, at), to, at)).isEqualTo(Outcome.REKEYED);
    assertThat(to.replyDue()).isTrue();
    assertThat(deliver(hello(to, at), from, at)).isEqualTo(Outcome.REKEYED);
    assertThat(from.replyDue()).as("the responder asked for confirmation").isTrue();
    assertThat(deliver(hello(from, at), to, at)).isEqualTo(Outcome.REPEATED);
    assertThat(to.replyDue()).as("no ping-pong once settled").isFalse();
  }

  static String roundTrip(LinkSealer s, LinkOpener o, String text) {
    byte[] d = datagram(text);
    s.seal(d, 0, d.length - LinkDatagram.OVERHEAD);
    LinkDropReason r = o.open(d, 0, d.length);
    return r == null ? plaintext(d) : r.name();
  }

  @Test
  void aRekeyIsAFreshExchangeAndTheSenderMovesOnlyOnceThePeerHoldsTheNewKeys() {
    establish();
    LinkKeys a0 = a.keys();
    LinkKeys b0 = b.keys();
    byte[] helloBefore = hello(a, NOW);
    byte[] bBefore = hello(b, NOW);

    assertThat(a.startRekey()).isTrue();
    assertThat(a.startRekey()).as("one re-key at a time").isFalse();
    assertThat(a.settled()).isFalse();
    assertThat(a.epoch()).isEqualTo(1);
    byte[] rekeyHello = hello(a, NOW + 1);
    assertThat(publicKey(rekeyHello)).as("a fresh X25519 key").isNotEqualTo(publicKey(helloBefore));
    assertThat(a.sendKeys()).as("sends under epoch 0 until confirmed").isSameAs(a0);

    assertThat(deliver(rekeyHello, b, NOW + 1)).isEqualTo(Outcome.REKEYED);
    assertThat(b.keys().epoch()).isEqualTo(1);
    assertThat(b.sendKeys()).as("B cannot know yet that A derived epoch 1").isSameAs(b0);
    assertThat(b.replyDue()).isTrue();
    byte[] answer = hello(b, NOW + 1);
    assertThat(publicKey(answer)).as("B's fresh share").isNotEqualTo(publicKey(bBefore));

    assertThat(deliver(answer, a, NOW + 1)).isEqualTo(Outcome.REKEYED);
    assertThat(a.sendKeys().epoch()).as("B said it holds epoch 1").isEqualTo(1);
    assertThat(a.settled()).isTrue();
    assertThat(deliver(hello(a, NOW + 2), b, NOW + 2)).isEqualTo(Outcome.REPEATED);
    assertThat(b.sendKeys().epoch()).isEqualTo(1);
    assertThat(b.settled()).isTrue();

    assertThat(roundTrip(a.sendKeys().sealer(), b.keys().opener(), "new a->b"))
        .isEqualTo("new a->b");
    assertThat(roundTrip(b.sendKeys().sealer(), a.keys().opener(), "new b->a"))
        .isEqualTo("new b->a");
    assertThat(roundTrip(a.sendKeys().sealer(), a0.opener(), "x"))
        .as("the new key is not the old one")
        .isEqualTo("AUTH_FAILED");
  }

  @Test
  void bothSidesStartingAtOnceAgreeOnOneKey() {
    establish();
    assertThat(a.startRekey()).isTrue();
    assertThat(b.startRekey()).isTrue();
    byte[] fromA = hello(a, NOW);
    byte[] fromB = hello(b, NOW);
    assertThat(deliver(fromA, b, NOW)).isEqualTo(Outcome.REKEYED);
    assertThat(deliver(fromB, a, NOW)).isEqualTo(Outcome.REKEYED);
    assertThat(a.sendKeys().epoch()).as("B's hello did not say it holds A's share").isZero();
    assertThat(deliver(hello(a, NOW), b, NOW)).isEqualTo(Outcome.REPEATED);
    assertThat(deliver(hello(b, NOW), a, NOW)).isEqualTo(Outcome.REPEATED);
    assertThat(a.settled()).isTrue();
    assertThat(b.settled()).isTrue();
    assertThat(roundTrip(a.sendKeys().sealer(), b.keys().opener(), "same key"))
        .isEqualTo("same key");
  }

  @Test
  void aReplayedRekeyHelloOfAnEarlierEpochIsRefused() {
    establish();
    byte[] epoch0 = hello(b, NOW);
    assertThat(a.startRekey()).isTrue();
    byte[] rekeyTo1 = hello(a, NOW);
    rekeyTo1 = rekeyTo1.clone();
    assertThat(deliver(rekeyTo1, b, NOW)).isEqualTo(Outcome.REKEYED);
    assertThat(deliver(hello(b, NOW), a, NOW)).isEqualTo(Outcome.REKEYED);
    assertThat(deliver(hello(a, NOW), b, NOW)).isEqualTo(Outcome.REPEATED);
    rekey(b, a, NOW + 10);
    LinkKeys k2 = b.keys();
    assertThat(k2.epoch()).isEqualTo(2);

    assertThat(deliver(rekeyTo1, b, NOW + 20)).as("epoch 1's re-key").isEqualTo(Outcome.REPLAYED);
    assertThat(deliver(epoch0, a, NOW + 20)).isEqualTo(Outcome.REPLAYED);
    assertThat(Outcome.REPLAYED.drop()).isEqualTo(LinkDropReason.HELLO_REPLAYED);
    assertThat(b.keys()).as("nothing changed").isSameAs(k2);
    assertThat(b.settled()).isTrue();
  }

  @Test
  void aHelloOutOfStepOrWithAnotherKeyForTheEpochIsRefused() throws Exception {
    establish();
    LinkKeys k = a.keys();
    int epochAt = 4 + "node-b".length() + LinkHandshake.NONCE + 8;
    byte[] ahead = hello(b, NOW);
    LinkDatagram.putInt(ahead, epochAt, 2); // two epochs ahead: no peer of ours sends that
    assertThat(deliver(remac(ahead), a, NOW)).isEqualTo(Outcome.REPLAYED);
    byte[] otherKey = hello(b, NOW);
    int keyAt = epochAt + LinkHandshake.EPOCH;
    otherKey[keyAt] ^= 1; // epoch 0 again, but not the key epoch 0 was made of
    assertThat(deliver(remac(otherKey), a, NOW)).isEqualTo(Outcome.REPLAYED);
    byte[] unsigned = hello(b, NOW);
    LinkDatagram.putInt(unsigned, epochAt, 1);
    assertThat(deliver(unsigned, a, NOW)).as("without the secret").isEqualTo(Outcome.BAD_MAC);
    assertThat(a.keys()).isSameAs(k);
    assertThat(a.settled()).isTrue();
  }

  /** The hello's MAC recomputed under the cluster secret (what only a cluster node can do). */
  static byte[] remac(byte[] hello) throws Exception {
    javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
    m.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
    m.update(hello, 0, hello.length - LinkHandshake.MAC);
    System.arraycopy(m.doFinal(), 0, hello, hello.length - LinkHandshake.MAC, LinkHandshake.MAC);
    return hello;
  }

  @Test
  void oldKeysAreZeroedTwoEpochsLater() {
    establish();
    LinkKeys k0 = a.keys();
    rekey(a, b, NOW);
    assertThat(k0.destroyed()).as("still the sealer's source until confirmed").isFalse();
    rekey(b, a, NOW);
    assertThat(k0.destroyed()).isTrue();
    assertThat(a.keys().destroyed()).isFalse();
  }

  @Test
  void aPeerRestartingMidRekeyStartsOverAtEpochZero() {
    establish();
    rekey(a, b, NOW);
    assertThat(a.startRekey()).isTrue();
    LinkHandshake restarted = new LinkHandshake("node-b", "node-a", SECRET, random);
    byte[] aBeforeRestart = hello(a, NOW + 1000); // epoch 2, the re-key under way
    byte[] fresh = hello(restarted, NOW + 1000);
    assertThat(deliver(fresh, a, NOW + 1000)).isEqualTo(Outcome.NEW_KEYS);
    assertThat(a.keys().epoch()).isZero();
    assertThat(a.epoch()).isZero();
    assertThat(a.confirmed()).as("the restarted peer has not seen our nonce").isFalse();
    assertThat(deliver(aBeforeRestart, restarted, NOW + 1000))
        .as("a hello of the session before the restart")
        .isEqualTo(Outcome.STALE);
    assertThat(deliver(hello(a, NOW + 1000), restarted, NOW + 1000)).isEqualTo(Outcome.NEW_KEYS);
    assertThat(restarted.confirmed()).isTrue();
    assertThat(deliver(hello(restarted, NOW + 1000), a, NOW + 1000)).isEqualTo(Outcome.REPEATED);
    assertThat(a.confirmed()).isTrue();
    assertThat(roundTrip(a.sendKeys().sealer(), restarted.keys().opener(), "after"))
        .isEqualTo("after");
  }

  @Test
  void theSequenceFieldCarriesThePhaseBitAndTheReceiverPicksItsKeyByIt() {
    establish();
    LinkOpeners in = new LinkOpeners(GRACE, MAX_GRACE);
    long t = 0;
    in.update(b.keys(), t);
    LinkSealer old = a.sendKeys().sealer();
    byte[] d = datagram("p0");
    old.seal(d, 0, 2);
    assertThat(d[1] & 0x80).as("epoch 0: phase 0").isZero();
    assertThat(in.open(d, 0, d.length, t)).isNull();

    rekey(a, b, NOW);
    LinkSealer fresh = a.sendKeys().sealer();
    byte[] e = datagram("p1");
    fresh.seal(e, 0, 2);
    assertThat(e[1] & 0x80).as("epoch 1: phase 1").isEqualTo(0x80);
    assertThat(in.open(e, 0, e.length, t))
        .as("not installed yet")
        .isEqualTo(LinkDropReason.AUTH_FAILED);
    in.update(b.keys(), t);
    assertThat(in.open(e, 0, e.length, t)).isNull();
    assertThat(plaintext(e)).isEqualTo("p1");
  }

  @Test
  void thePreviousKeyOpensForTheGraceAfterTheFirstDatagramUnderTheNewOneThenGoes() {
    establish();
    LinkOpeners in = new LinkOpeners(GRACE, MAX_GRACE);
    long t = 5 * SEC;
    in.update(b.keys(), t);
    LinkSealer s0 = a.sendKeys().sealer();
    rekey(a, b, NOW);
    in.update(b.keys(), t);
    assertThat(in.previousKeyHeld()).isTrue();
    assertThat(open(in, s0, "late old", t + SEC)).as("no new datagram yet").isNull();

    LinkSealer s1 = a.sendKeys().sealer();
    assertThat(open(in, s1, "first new", t + 10 * SEC)).isNull();
    assertThat(open(in, s0, "in flight", t + 10 * SEC + GRACE - 1)).isNull();
    in.expire(t + 10 * SEC + GRACE);
    assertThat(in.previousKeyHeld()).isFalse();
    assertThat(open(in, s0, "too late", t + 10 * SEC + GRACE))
        .isEqualTo(LinkDropReason.AUTH_FAILED);
    assertThat(open(in, s1, "new", t + 11 * SEC + GRACE)).isNull();
  }

  @Test
  void thePreviousKeyGoesAfterTheLongestGraceWhenNothingComesUnderTheNewOne() {
    establish();
    LinkOpeners in = new LinkOpeners(GRACE, MAX_GRACE);
    in.update(b.keys(), 0);
    LinkSealer s0 = a.sendKeys().sealer();
    rekey(a, b, NOW);
    in.update(b.keys(), 0);
    assertThat(open(in, s0, "old", MAX_GRACE - 1)).isNull();
    assertThat(open(in, s0, "old", MAX_GRACE)).isEqualTo(LinkDropReason.AUTH_FAILED);
    assertThat(in.previousKeyHeld()).isFalse();
  }

  @Test
  void replaysAreRefusedPerKeyAcrossTheSwitch() {
    establish();
    LinkOpeners in = new LinkOpeners(GRACE, MAX_GRACE);
    in.update(b.keys(), 0);
    LinkSealer s0 = a.sendKeys().sealer();
    byte[] d0 = datagram("zero");
    s0.seal(d0, 0, 4);
    byte[] copy0 = d0.clone();
    assertThat(in.open(d0, 0, d0.length, 0)).isNull();
    rekey(a, b, NOW);
    in.update(b.keys(), 0);
    LinkSealer s1 = a.sendKeys().sealer();
    byte[] d1 = datagram("one");
    s1.seal(d1, 0, 3);
    byte[] copy1 = d1.clone();
    assertThat(in.open(d1, 0, d1.length, 1)).isNull();
    assertThat(in.open(copy1, 0, copy1.length, 1)).isEqualTo(LinkDropReason.REPLAY);
    assertThat(in.open(copy0, 0, copy0.length, 1))
        .as("old key, same window")
        .isEqualTo(LinkDropReason.REPLAY);
    byte[] flipped = d1.clone();
    flipped[1] ^= (byte) 0x80;
    assertThat(in.open(flipped, 0, flipped.length, 1)).as("phase bit is authenticated").isNotNull();
  }

  @Test
  void aPolicyOutsideTheBoundIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new RekeyPolicy(SEC, LinkSealer.REKEY_PACKETS + 1, GRACE, MAX_GRACE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RekeyPolicy.DEFAULT.packets()).isEqualTo(1L << 23);
    assertThat(LinkSealer.MAX_PACKETS).isGreaterThan(RekeyPolicy.DEFAULT.packets());
  }

  static LinkDropReason open(LinkOpeners in, LinkSealer s, String text, long at) {
    byte[] d = datagram(text);
    s.seal(d, 0, d.length - LinkDatagram.OVERHEAD);
    LinkDropReason r = in.open(d, 0, d.length, at);
    if (r == null) {
      assertThat(plaintext(d)).isEqualTo(text);
    }
    return r;
  }

  static byte[] publicKey(byte[] hello) {
    int at = hello.length - LinkHandshake.MAC - LinkHandshake.NONCE - LinkHandshake.PUBLIC_KEY;
    return Arrays.copyOfRange(hello, at, at + LinkHandshake.PUBLIC_KEY);
  }
}
