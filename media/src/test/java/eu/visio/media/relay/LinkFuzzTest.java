package eu.visio.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Untrusted bytes at every entry of the link: the inner header parser raises nothing but {@link
 * LinkParseException}; the opener and the handshake never throw and refuse what they do not
 * authenticate.
 */
class LinkFuzzTest {
  private static final byte[] SECRET = new byte[32];
  private static final LinkHandshake A =
      new LinkHandshake("node-a", "node-b", SECRET, new SecureRandom());
  private static final LinkHandshake B =
      new LinkHandshake("node-b", "node-a", SECRET, new SecureRandom());
  private static final byte[] VALID_HELLO = new byte[256];
  private static final int VALID_HELLO_LENGTH = B.writeHello(VALID_HELLO, 0, 1_000_000);
  private static final byte[] VALID_RTP =
      LinkHeaderTest.hex("02 0201 80 60 0001 00000bb8 a0000003 deadbeef");

  private final LinkHeader header = new LinkHeader();

  @Property(tries = 3000)
  void randomHeadersOnlyRaiseParseErrors(@ForAll @Size(max = 64) byte[] data) {
    parse(data);
  }

  @Property(tries = 3000)
  void mutatedHeadersOnlyRaiseParseErrors(
      @ForAll @IntRange(min = 0, max = 14) int at, @ForAll byte value) {
    byte[] b = VALID_RTP.clone();
    b[at] = value;
    parse(b);
  }

  private void parse(byte[] b) {
    try {
      header.wrap(b, 0, b.length);
      assertThat(header.payloadOffset() + header.payloadLength()).isEqualTo(b.length);
      assertThat(header.channel()).isBetween(1, 0xFFFF);
    } catch (LinkParseException expected) {
      // the codec's own error: fine
    }
  }

  @Property(tries = 2000)
  void randomDatagramsNeverOpen(@ForAll @Size(max = 200) byte[] data) {
    LinkOpener opener = keyed().opener();
    if (data.length > 0) {
      data[0] = (byte) LinkDatagram.TYPE_DATA;
    }
    assertThat(opener.open(data, 0, data.length)).isNotNull();
  }

  @Property(tries = 2000)
  void randomHellosAreRefused(@ForAll @Size(max = 200) byte[] data) {
    LinkHandshake h = new LinkHandshake("node-a", "node-b", SECRET, new SecureRandom());
    if (data.length > 1) {
      data[0] = (byte) LinkDatagram.TYPE_HELLO;
      data[1] = (byte) LinkHandshake.VERSION;
    }
    assertThat(h.onHello(data, 0, data.length, 1_000_000).drop()).isNotNull();
    assertThat(h.keys()).isNull();
  }

  @Property(tries = 2000)
  void mutatedHellosAreRefused(
      @ForAll @IntRange(min = 0, max = 200) int at, @ForAll @IntRange(min = 1, max = 255) int x) {
    LinkHandshake h = new LinkHandshake("node-a", "node-b", SECRET, new SecureRandom());
    byte[] b = VALID_HELLO.clone();
    b[at % VALID_HELLO_LENGTH] ^= (byte) x;
    assertThat(h.onHello(b, 0, VALID_HELLO_LENGTH, 1_000_000).drop()).isNotNull();
    assertThat(h.keys()).isNull();
  }

  @Property(tries = 500)
  void mutatedRekeyHellosAreRefusedAndChangeNothing(
      @ForAll @IntRange(min = 0, max = 200) int at, @ForAll @IntRange(min = 1, max = 255) int x) {
    LinkHandshake a = new LinkHandshake("node-a", "node-b", SECRET, new SecureRandom());
    LinkHandshake b = new LinkHandshake("node-b", "node-a", SECRET, new SecureRandom());
    exchange(a, b);
    exchange(b, a);
    exchange(a, b);
    assertThat(b.startRekey()).isTrue();
    byte[] h = new byte[256];
    int n = b.writeHello(h, 0, 1_000_000);
    h[at % n] ^= (byte) x;
    LinkKeys before = a.keys();
    assertThat(a.onHello(h, 0, n, 1_000_000).drop()).isNotNull();
    assertThat(a.keys()).isSameAs(before);
    assertThat(a.epoch()).isZero();
    assertThat(a.settled()).isTrue();
  }

  @Property(tries = 2000)
  void randomDatagramsNeverOpenUnderEitherKeyPhase(@ForAll @Size(max = 200) byte[] data) {
    LinkOpeners openers = new LinkOpeners(1_000, 10_000);
    openers.update(keyed(), 0);
    if (data.length > 0) {
      data[0] = (byte) LinkDatagram.TYPE_DATA;
    }
    assertThat(openers.open(data, 0, data.length, 0)).isNotNull();
  }

  private static void exchange(LinkHandshake from, LinkHandshake to) {
    byte[] b = new byte[256];
    int n = from.writeHello(b, 0, 1_000_000);
    assertThat(to.onHello(b, 0, n, 1_000_000).drop()).isNull();
  }

  private static LinkKeys keyed() {
    byte[] b = new byte[256];
    int n = B.writeHello(b, 0, 1_000_000);
    A.onHello(b, 0, n, 1_000_000);
    return A.keys();
  }
}
