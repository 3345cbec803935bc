package eu.visio.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The handshake between two nodes, in memory, and what the sealed datagrams withstand: round trip,
 * tampering, replay, another cluster's secret, stale, reflected, foreign and replayed hellos, and a
 * peer that restarts.
 */
class LinkCryptoTest {
  static final long NOW = 1_764_000_000_000L;
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  final SecureRandom random = new SecureRandom();
  LinkHandshake a = new LinkHandshake("node-a", "node-b", SECRET, random);
  LinkHandshake b = new LinkHandshake("node-b", "node-a", SECRET, random);

  static byte[] hello(LinkHandshake h, long at) {
    byte[] buf = new byte[256];
    int n = h.writeHello(buf, 0, at);
    return Arrays.copyOf(buf, n);
  }

  static LinkHandshake.Outcome deliver(byte[] hello, LinkHandshake to, long at) {
    return to.onHello(hello, 0, hello.length, at);
  }

  /** A's hello, B's answer, A's answer: both confirmed, no further hello due. */
  void handshake() {
    assertThat(deliver(hello(a, NOW), b, NOW)).isEqualTo(LinkHandshake.Outcome.NEW_KEYS);
    assertThat(b.replyDue()).isTrue();
    assertThat(deliver(hello(b, NOW), a, NOW)).isEqualTo(LinkHandshake.Outcome.NEW_KEYS);
    assertThat(a.confirmed()).as("B echoed A's nonce").isTrue();
    assertThat(a.replyDue()).as("B asked for an answer").isTrue();
    assertThat(deliver(hello(a, NOW), b, NOW)).isEqualTo(LinkHandshake.Outcome.REPEATED);
    assertThat(b.confirmed()).isTrue();
    assertThat(b.replyDue()).as("A, confirmed, asks for nothing: no ping-pong").isFalse();
  }

  static byte[] datagram(String plaintext) {
    byte[] p = plaintext.getBytes(StandardCharsets.UTF_8);
    byte[] d = new byte[p.length + LinkDatagram.OVERHEAD];
    System.arraycopy(p, 0, d, LinkDatagram.DATA_HEADER, p.length);
    return d;
  }

  static String plaintext(byte[] d) {
    return new String(
        d, LinkDatagram.DATA_HEADER, d.length - LinkDatagram.OVERHEAD, StandardCharsets.UTF_8);
  }

  @Test
  void sealedDatagramsOpenOnTheOtherSideBothWays() {
    handshake();
    LinkSealer aOut = a.keys().sealer();
    LinkOpener bIn = b.keys().opener();
    byte[] d = datagram("media from a");
    aOut.seal(d, 0, d.length - LinkDatagram.OVERHEAD);
    assertThat(d[0] & 0xFF).isEqualTo(LinkDatagram.TYPE_DATA);
    assertThat(plaintext(d)).as("encrypted on the wire").isNotEqualTo("media from a");
    assertThat(bIn.open(d, 0, d.length)).isNull();
    assertThat(plaintext(d)).isEqualTo("media from a");

    byte[] back = datagram("feedback from b");
    b.keys().sealer().seal(back, 0, back.length - LinkDatagram.OVERHEAD);
    assertThat(a.keys().opener().open(back, 0, back.length)).isNull();
    assertThat(plaintext(back)).isEqualTo("feedback from b");
  }

  @Test
  void eachDirectionHasItsOwnKey() {
    handshake();
    byte[] d = datagram("x");
    a.keys().sealer().seal(d, 0, 1);
    assertThat(a.keys().opener().open(d, 0, d.length))
        .as("a datagram reflected back to its sender")
        .isEqualTo(LinkDropReason.AUTH_FAILED);
  }

  @Test
  void anyTamperedByteIsAnAuthenticationFailure() {
    handshake();
    LinkSealer out = a.keys().sealer();
    for (int i = 0; i < datagram("tampered payload").length; i++) {
      byte[] d = datagram("tampered payload");
      out.seal(d, 0, d.length - LinkDatagram.OVERHEAD);
      d[i] ^= 0x01;
      LinkDropReason r = b.keys().opener().open(d, 0, d.length);
      assertThat(r)
          .as("byte %d", i)
          .isIn(LinkDropReason.AUTH_FAILED, LinkDropReason.UNKNOWN_TYPE, LinkDropReason.REPLAY);
    }
  }

  @Test
  void aReplayedDatagramIsDroppedAndReorderingWithinTheWindowIsNot() {
    handshake();
    LinkSealer out = a.keys().sealer();
    LinkOpener in = b.keys().opener();
    byte[][] sent = new byte[3][];
    for (int i = 0; i < 3; i++) {
      sent[i] = datagram("packet " + i);
      out.seal(sent[i], 0, sent[i].length - LinkDatagram.OVERHEAD);
    }
    byte[] copy = sent[2].clone();
    byte[] copy0 = sent[0].clone();
    assertThat(in.open(sent[2], 0, sent[2].length)).isNull();
    assertThat(in.open(sent[0], 0, sent[0].length)).as("late, within the window").isNull();
    assertThat(in.open(copy, 0, copy.length)).isEqualTo(LinkDropReason.REPLAY);
    assertThat(in.open(copy0, 0, copy0.length)).isEqualTo(LinkDropReason.REPLAY);
    assertThat(in.open(sent[1], 0, sent[1].length)).isNull();
  }

  @Test
  void aDatagramLeftBehindByTheWindowIsDropped() {
    handshake();
    LinkSealer out = a.keys().sealer();
    LinkOpener in = b.keys().opener();
    byte[] old = datagram("old");
    out.seal(old, 0, 3);
    byte[] d = null;
    for (int i = 0; i < LinkOpener.WINDOW; i++) {
      d = datagram("n");
      out.seal(d, 0, 1);
    }
    assertThat(in.open(d, 0, d.length)).isNull();
    assertThat(in.open(old, 0, old.length)).isEqualTo(LinkDropReason.REPLAY);
  }

  @Test
  void aHelloUnderAnotherClustersSecretIsRefused() {
    byte[] other = SECRET.clone();
    other[0] ^= 1;
    LinkHandshake intruder = new LinkHandshake("node-b", "node-a", other, random);
    assertThat(deliver(hello(intruder, NOW), a, NOW)).isEqualTo(LinkHandshake.Outcome.BAD_MAC);
    assertThat(a.keys()).isNull();
    assertThat(LinkHandshake.Outcome.BAD_MAC.drop()).isEqualTo(LinkDropReason.HELLO_BAD_MAC);
  }

  @Test
  void staleHellosAreRefusedBothWays() {
    long skew = LinkHandshake.MAX_SKEW_MILLIS;
    assertThat(deliver(hello(b, NOW - skew - 1), a, NOW)).isEqualTo(LinkHandshake.Outcome.STALE);
    assertThat(deliver(hello(b, NOW + skew + 1), a, NOW)).isEqualTo(LinkHandshake.Outcome.STALE);
    assertThat(a.keys()).isNull();
    assertThat(deliver(hello(b, NOW - skew), a, NOW)).isEqualTo(LinkHandshake.Outcome.NEW_KEYS);
  }

  @Test
  void ourOwnHelloReflectedAndAThirdNodesAreRefused() {
    assertThat(deliver(hello(a, NOW), a, NOW)).isEqualTo(LinkHandshake.Outcome.REFLECTED);
    LinkHandshake c = new LinkHandshake("node-c", "node-a", SECRET, random);
    assertThat(deliver(hello(c, NOW), a, NOW)).isEqualTo(LinkHandshake.Outcome.WRONG_PEER);
    assertThat(a.keys()).isNull();
  }

  @Test
  void aRestartedPeerRekeysAndItsOldHelloCannotComeBack() {
    handshake();
    byte[] oldHello = hello(b, NOW);
    LinkKeys before = a.keys();
    LinkHandshake restarted = new LinkHandshake("node-b", "node-a", SECRET, random);
    assertThat(deliver(hello(restarted, NOW + 1000), a, NOW + 1000))
        .isEqualTo(LinkHandshake.Outcome.NEW_KEYS);
    assertThat(a.keys()).isNotSameAs(before);
    assertThat(a.confirmed()).as("the restarted peer has not seen our nonce").isFalse();
    assertThat(a.replyDue()).isTrue();
    assertThat(deliver(oldHello, a, NOW + 2000)).isEqualTo(LinkHandshake.Outcome.REPLAYED);
    assertThat(deliver(hello(a, NOW + 2000), restarted, NOW + 2000))
        .isEqualTo(LinkHandshake.Outcome.NEW_KEYS);
    byte[] d = datagram("after restart");
    restarted.keys().sealer().seal(d, 0, d.length - LinkDatagram.OVERHEAD);
    assertThat(a.keys().opener().open(d, 0, d.length)).isNull();
    assertThat(plaintext(d)).isEqualTo("after restart");
  }

  @Test
  void aRepeatedHelloKeepsTheKeys() {
    handshake();
    LinkKeys k = a.keys();
    assertThat(deliver(hello(b, NOW + 5), a, NOW + 5)).isEqualTo(LinkHandshake.Outcome.REPEATED);
    assertThat(a.keys()).isSameAs(k);
  }

  @Test
  void secretsAndKeysStayOutOfToString() {
    handshake();
    assertThat(a.keys().toString()).isEqualTo("LinkKeys[epoch=0, redacted]");
    assertThat(a.keys().sealer().toString()).contains("redacted");
  }
}
