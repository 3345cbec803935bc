package eu.visio.sfu.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.relay.LinkDatagram;
import eu.visio.media.relay.LinkDropReason;
import eu.visio.media.relay.LinkHandshake;
import eu.visio.media.relay.LinkSealer;
import eu.visio.media.relay.LinkTransport;
import eu.visio.sfu.Room;
import eu.visio.sfu.RoomListener;
import eu.visio.sfu.WorkerContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Whatever reaches a link's socket, the receive path never throws and counts exactly one drop per
 * datagram it cannot use: random datagrams before and after the handshake, and authenticated
 * datagrams (sealed with the peer's real keys) whose inner bytes are random.
 */
class RelayLinkFuzzTest {
  static final byte[] SECRET =
      "fuzz cluster secret, 32 bytes or more".getBytes(StandardCharsets.UTF_8);
  static final long NOW_MS = 1_764_000_000_000L;

  /** A transport the test drives: it records what the link sends and delivers what it is given. */
  static final class Fake implements LinkTransport {
    Receiver receiver;
    final List<byte[]> sent = new ArrayList<>();

    @Override
    public void start(Receiver r) {
      receiver = r;
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      sent.add(Arrays.copyOfRange(buf, off, off + len));
      return true;
    }

    @Override
    public void close() {}
  }

  /** A link and its peer's handshake, new for each try (jqwik shares the test instance). */
  static final class Fixture {
    final Fake wire = new Fake();
    final LinkHandshake peer = new LinkHandshake("node-a", "node-b", SECRET, new SecureRandom());
    final RelayLink link =
        RelayLink.open(
            new Room("r", new RoomListener() {}, WorkerContext.create(new DropCounters())),
            Runnable::run,
            wire,
            new LinkHandshake("node-b", "node-a", SECRET, new SecureRandom()),
            System::nanoTime,
            () -> NOW_MS);

    /** The peer's hello, the link's answer, the peer's answer: both hold and confirmed keys. */
    LinkSealer establish() {
      byte[] hello = new byte[256];
      int n = peer.writeHello(hello, 0, NOW_MS);
      wire.receiver.onDatagram(hello, 0, n);
      byte[] answer = wire.sent.getLast();
      assertThat(peer.onHello(answer, 0, answer.length, NOW_MS))
          .isEqualTo(LinkHandshake.Outcome.NEW_KEYS);
      assertThat(peer.replyDue()).as("the link asked for an answer").isTrue();
      wire.receiver.onDatagram(hello, 0, peer.writeHello(hello, 0, NOW_MS)); // echoes its nonce
      assertThat(link.established()).isTrue();
      return peer.keys().sealer();
    }

    /** The peer starts a re-key and both sides settle at epoch 1; returns the peer's new sealer. */
    LinkSealer rekey() {
      assertThat(peer.startRekey()).isTrue();
      byte[] hello = new byte[256];
      wire.receiver.onDatagram(hello, 0, peer.writeHello(hello, 0, NOW_MS));
      byte[] answer = wire.sent.getLast();
      assertThat(peer.onHello(answer, 0, answer.length, NOW_MS))
          .isEqualTo(LinkHandshake.Outcome.REKEYED);
      wire.receiver.onDatagram(hello, 0, peer.writeHello(hello, 0, NOW_MS));
      assertThat(link.sendEpoch()).isEqualTo(1);
      return peer.sendKeys().sealer();
    }

    void deliver(byte[] d, int len) {
      wire.receiver.onDatagram(d, 0, len);
    }
  }

  @Property(tries = 1000)
  void randomDatagramsBeforeTheHandshakeAreCountedDrops(@ForAll @Size(max = 300) byte[] data) {
    Fixture f = new Fixture();
    RelayLink link = f.link;
    f.deliver(data, data.length);
    assertThat(link.drops().total()).isEqualTo(1);
    assertThat(link.drops().count(LinkDropReason.INTERNAL_ERROR)).isZero();
    assertThat(link.established()).isFalse();
  }

  @Property(tries = 1000)
  void randomDatagramsAfterTheHandshakeAreCountedDrops(@ForAll @Size(max = 300) byte[] data) {
    Fixture f = new Fixture();
    RelayLink link = f.link;
    f.establish();
    long before = link.drops().total();
    if (data.length > 0 && data[0] == 0) {
      data[0] = (byte) LinkDatagram.TYPE_DATA; // often enough, a DATA datagram with a bad tag
    }
    f.deliver(data, data.length);
    assertThat(link.drops().total()).isEqualTo(before + 1);
    assertThat(link.drops().count(LinkDropReason.INTERNAL_ERROR)).isZero();
  }

  @Property(tries = 500)
  void randomDatagramsAfterARekeyAreCountedDrops(@ForAll @Size(max = 300) byte[] data) {
    Fixture f = new Fixture();
    RelayLink link = f.link;
    f.establish();
    f.rekey();
    long before = link.drops().total();
    if (data.length > 1 && data[0] == 0) {
      data[0] = (byte) LinkDatagram.TYPE_DATA; // a DATA datagram with a bad tag, either phase
    }
    f.deliver(data, data.length);
    assertThat(link.drops().total()).isEqualTo(before + 1);
    assertThat(link.drops().count(LinkDropReason.INTERNAL_ERROR)).isZero();
    assertThat(link.established()).isTrue();
  }

  @Property(tries = 300)
  void authenticatedGarbageUnderARekeyedKeyIsACountedDrop(@ForAll @Size(max = 1500) byte[] inner) {
    Fixture f = new Fixture();
    RelayLink link = f.link;
    f.establish();
    LinkSealer sealer = f.rekey();
    byte[] d = new byte[inner.length + LinkDatagram.OVERHEAD];
    System.arraycopy(inner, 0, d, LinkDatagram.DATA_HEADER, inner.length);
    int n = sealer.seal(d, 0, inner.length);
    assertThat(d[1] & 0x80).as("phase 1").isEqualTo(0x80);
    long before = link.drops().total();
    f.deliver(d, n);
    assertThat(link.drops().total()).as(link.drops().toString()).isEqualTo(before + 1);
    assertThat(
            link.drops().count(LinkDropReason.BAD_HEADER)
                + link.drops().count(LinkDropReason.UNKNOWN_CHANNEL))
        .isEqualTo(1);
  }

  @Property(tries = 1000)
  void authenticatedGarbageIsACountedDrop(@ForAll @Size(max = 1500) byte[] inner) {
    Fixture f = new Fixture();
    RelayLink link = f.link;
    LinkSealer sealer = f.establish();
    byte[] d = new byte[inner.length + LinkDatagram.OVERHEAD];
    System.arraycopy(inner, 0, d, LinkDatagram.DATA_HEADER, inner.length);
    int n = sealer.seal(d, 0, inner.length);
    f.deliver(d, n);
    assertThat(link.drops().total()).as(link.drops().toString()).isEqualTo(1);
    assertThat(
            link.drops().count(LinkDropReason.BAD_HEADER)
                + link.drops().count(LinkDropReason.UNKNOWN_CHANNEL))
        .isEqualTo(1);
  }
}
