package eu.visio.sfu.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.relay.LinkDatagram;
import eu.visio.media.relay.LinkDropReason;
import eu.visio.media.relay.LinkHandshake;
import eu.visio.media.relay.LinkHeader;
import eu.visio.media.relay.LinkTransport;
import eu.visio.media.relay.RekeyPolicy;
import eu.visio.sfu.Room;
import eu.visio.sfu.RoomListener;
import eu.visio.sfu.WorkerContext;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two relay links joined by an in-memory wire with latency, on a virtual clock: media flows both
 * ways, without pause or loss, across many re-keys (by time and by packet count, started by either
 * side or both at once); a replayed hello of an old epoch is a counted drop.
 */
class RelayLinkRekeyTest {
  static final byte[] SECRET =
      "rekey test cluster secret, 32+ bytes".getBytes(StandardCharsets.UTF_8);
  static final long NOW_MS = 1_764_000_000_000L;
  static final long MS = 1_000_000L;
  static final long STEP = 10 * MS;

  long nanos = 1_000 * MS;

  /** One direction of the wire: datagrams sent this step arrive at the next (one step latency). */
  static final class Wire implements LinkTransport {
    Receiver receiver;
    final ArrayDeque<byte[]> inFlight = new ArrayDeque<>();
    final List<byte[]> hellos = new ArrayList<>();
    boolean cut;

    /** When set, datagrams go straight to it, uncopied (the allocation test). */
    Receiver direct;

    @Override
    public void start(Receiver r) {
      receiver = r;
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      if (direct != null) {
        direct.onDatagram(buf, off, len);
        return true;
      }
      byte[] d = Arrays.copyOfRange(buf, off, off + len);
      if ((d[0] & 0xFF) == LinkDatagram.TYPE_HELLO) {
        hellos.add(d);
      }
      if (!cut) {
        inFlight.add(d);
      }
      return true;
    }

    @Override
    public void close() {}
  }

  Wire aToB;
  Wire bToA;
  RelayLink a;
  RelayLink b;

  RelayLinkRekeyTest() {
    open(new RekeyPolicy(1_000 * MS, 1L << 23, 100 * MS, 2_000 * MS));
  }

  /** Both links, anew, under {@code policy}. */
  void open(RekeyPolicy policy) {
    aToB = new Wire();
    bToA = new Wire();
    a = link("node-a", "node-b", aToB, policy);
    b = link("node-b", "node-a", bToA, policy);
  }

  RelayLink link(String local, String remote, Wire out, RekeyPolicy policy) {
    return RelayLink.open(
        new Room("r", new RoomListener() {}, WorkerContext.create(new DropCounters())),
        Runnable::run,
        out,
        new LinkHandshake(local, remote, SECRET, new SecureRandom()),
        () -> nanos,
        () -> NOW_MS + nanos / MS,
        policy);
  }

  /** Delivers what was in flight, then ticks both links: one step of virtual time. */
  void step() {
    nanos += STEP;
    deliver(aToB, bToA);
    deliver(bToA, aToB);
    a.tick(nanos);
    b.tick(nanos);
  }

  /** What {@code from} carries goes to the receiver on the other wire (the other link's). */
  static void deliver(Wire from, Wire other) {
    int n = from.inFlight.size();
    for (int i = 0; i < n; i++) {
      byte[] d = from.inFlight.poll();
      other.receiver.onDatagram(d, 0, d.length);
    }
  }

  final byte[] rtp = rtp();

  static byte[] rtp() {
    byte[] b = new byte[200];
    b[0] = (byte) 0x80;
    b[1] = 96;
    return b;
  }

  void establish() {
    for (int i = 0; i < 10 && !(a.established() && b.established()); i++) {
      step();
    }
    assertThat(a.established()).isTrue();
    assertThat(b.established()).isTrue();
  }

  /**
   * Every datagram sent arrived and authenticated: what reached the worker is counted received (the
   * channel is not imported: each is then an unknown-channel drop, and nothing else).
   */
  static void assertNoneLost(RelayLink from, RelayLink to, long packets) {
    assertThat(from.sent(LinkHeader.KIND_RTP)).isEqualTo(packets);
    assertThat(to.received(LinkHeader.KIND_RTP)).as(to.drops().toString()).isEqualTo(packets);
    assertThat(to.drops().total())
        .as(to.drops().toString())
        .isEqualTo(to.drops().count(LinkDropReason.UNKNOWN_CHANNEL));
    assertThat(from.drops().total())
        .as("nothing refused at the sender: " + from.drops())
        .isEqualTo(from.drops().count(LinkDropReason.UNKNOWN_CHANNEL));
  }

  @Test
  void mediaFlowsBothWaysAcrossManyTimedRekeysWithNoneLost() {
    establish();
    int epochs = 0;
    long sentAb = 0;
    long sentBa = 0;
    int lastEpoch = a.sendEpoch();
    for (int i = 0; i < 1_500; i++) { // 15 virtual seconds
      for (int p = 0; p < 5; p++) {
        assertThat(a.send(LinkHeader.KIND_RTP, 0, 7, rtp, 0, rtp.length)).isTrue();
        sentAb++;
      }
      assertThat(b.send(LinkHeader.KIND_RTP, 0, 9, rtp, 0, rtp.length)).isTrue();
      sentBa++;
      step();
      if (a.sendEpoch() != lastEpoch) {
        assertThat(a.sendEpoch()).as("one epoch at a time").isEqualTo(lastEpoch + 1);
        lastEpoch = a.sendEpoch();
        epochs++;
      }
    }
    step();
    assertThat(epochs).as("a re-key about every second").isBetween(8, 15);
    assertThat(b.sendEpoch()).isEqualTo(a.sendEpoch());
    assertNoneLost(a, b, sentAb);
    assertNoneLost(b, a, sentBa);
  }

  @Test
  void aBusyLinkRekeysByPacketCountBeforeTheTimer() {
    open(new RekeyPolicy(3_600_000 * MS, 500, 100 * MS, 2_000 * MS));
    RelayLinkRekeyTest t = this;
    t.establish();
    long sent = 0;
    for (int i = 0; i < 200; i++) { // 2 virtual seconds, 50 datagrams a step
      for (int p = 0; p < 50; p++) {
        assertThat(t.a.send(LinkHeader.KIND_RTP, 1, 7, t.rtp, 0, t.rtp.length)).isTrue();
        sent++;
      }
      t.step();
    }
    t.step();
    assertThat(t.a.sendEpoch()).as("10,000 datagrams, a re-key every 500 or so").isBetween(15, 20);
    assertNoneLost(t.a, t.b, sent);
  }

  @Test
  void aReplayedHelloOfAnOldEpochIsACountedDropAndChangesNothing() {
    establish();
    List<byte[]> epochZero = new ArrayList<>(aToB.hellos);
    while (a.sendEpoch() < 3) {
      a.send(LinkHeader.KIND_RTP, 0, 7, rtp, 0, rtp.length);
      step();
    }
    List<byte[]> epochOneAndTwo =
        new ArrayList<>(aToB.hellos.subList(epochZero.size(), aToB.hellos.size()));
    int epoch = b.sendEpoch();
    long replayedBefore = b.drops().count(LinkDropReason.HELLO_REPLAYED);
    // Replayed within the clock skew allowed, so only the epoch tells them apart.
    int replays = 0;
    for (byte[] h : epochZero.subList(0, 2)) {
      toB(h);
      replays++;
    }
    assertThat(b.drops().count(LinkDropReason.HELLO_REPLAYED) - replayedBefore).isEqualTo(replays);
    assertThat(epochOneAndTwo).isNotEmpty();
    long before = b.drops().count(LinkDropReason.HELLO_REPLAYED);
    toB(epochOneAndTwo.getFirst());
    assertThat(b.drops().count(LinkDropReason.HELLO_REPLAYED))
        .as("epoch 1's re-key")
        .isEqualTo(before + 1);
    assertThat(b.sendEpoch()).isEqualTo(epoch);
    long sent = a.sent(LinkHeader.KIND_RTP);
    long got = b.received(LinkHeader.KIND_RTP);
    a.send(LinkHeader.KIND_RTP, 0, 7, rtp, 0, rtp.length);
    step();
    assertThat(b.received(LinkHeader.KIND_RTP) - got).isEqualTo(a.sent(LinkHeader.KIND_RTP) - sent);
  }

  @Test
  void aLostRekeyAnswerIsResentAndMediaKeepsFlowingUnderTheOldKeyMeanwhile() {
    establish();
    long sent = 0;
    bToA.cut = true; // B's answers (and media) lost for a while
    for (int i = 0; i < 200; i++) {
      a.send(LinkHeader.KIND_RTP, 0, 7, rtp, 0, rtp.length);
      sent++;
      step();
    }
    assertThat(a.sendEpoch()).as("no confirmation: A keeps the old key").isZero();
    bToA.cut = false;
    for (int i = 0; i < 100; i++) {
      a.send(LinkHeader.KIND_RTP, 0, 7, rtp, 0, rtp.length);
      sent++;
      step();
    }
    step();
    assertThat(a.sendEpoch()).isPositive();
    assertNoneLost(a, b, sent);
  }

  @Test
  void sendingAllocatesNothingAcrossTheSwitchBetweenRekeys() {
    establish();
    for (int i = 0; i < 300; i++) { // warm up, through a few re-keys
      a.send(LinkHeader.KIND_RTP, 0, 7, rtp, 0, rtp.length);
      step();
    }
    assertThat(a.sendEpoch()).as("through a few re-keys").isGreaterThanOrEqualTo(2);
    step();
    // Sealed, sent, opened and handed to the worker, uncopied; no tick (no hello, no re-key).
    aToB.direct = bToA.receiver;
    int packets = 20_000;
    long before = allocatedBytes();
    for (int i = 0; i < packets; i++) {
      a.send(LinkHeader.KIND_RTP, 0, 7, rtp, 0, rtp.length);
    }
    long allocated = allocatedBytes() - before;
    assertThat(allocated).as("bytes allocated for %d packets", packets).isLessThan(4096);
  }

  /** Hands B a datagram as if from A. */
  void toB(byte[] d) {
    bToA.receiver.onDatagram(d, 0, d.length);
  }

  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
