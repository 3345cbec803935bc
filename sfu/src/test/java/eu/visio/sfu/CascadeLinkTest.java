package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.relay.LinkDatagram;
import eu.visio.media.relay.LinkDropReason;
import eu.visio.media.relay.LinkHandshake;
import eu.visio.media.relay.LinkHeader;
import eu.visio.media.relay.LinkTransport;
import eu.visio.media.relay.UdpLinkSocket;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.cascade.LinkSender;
import eu.visio.sfu.cascade.RelayLink;
import eu.visio.sfu.layer.ForwardDrops;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One room cascaded over two "nodes" in this JVM: each its own {@link Room} on its own worker
 * thread, joined by a {@link RelayLink} over real UDP sockets on loopback (the real handshake and
 * encryption). A publisher on node A; subscribers on node B receive its simulcast, each packet
 * crossing the link once; loss on the link is repaired by NACK; a PLI on B reaches the publisher.
 */
class CascadeLinkTest {
  static final byte[] SECRET =
      "cascade test cluster secret, 32+ bytes".getBytes(StandardCharsets.UTF_8);
  static final int[] SSRC = SimulcastTest.SSRC;
  static final String[] RIDS = SimulcastTest.RIDS;
  static final int[] WIDTH = SimulcastTest.WIDTH;

  final ExecutorService workerA = Executors.newSingleThreadExecutor();
  final ExecutorService workerB = Executors.newSingleThreadExecutor();
  final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  final Room roomA = room();
  final Room roomB = room();
  final RecordingSink aliceSink = new RecordingSink();
  final AtomicInteger dropDataFromA = new AtomicInteger();
  volatile boolean tickRoomB;
  RelayLink linkA;
  RelayLink linkB;
  Participant alice;
  PublishedTrack cam;
  volatile boolean pathBroken;
  final int[] seq = {100, 2000, 30000};
  final int[] pid = {10, 2000, 30000};

  static Room room() {
    return new Room(
        "r",
        new RoomListener() {},
        new WorkerContext(new DropCounters(), new ForwardDrops(), Streams.scratch()));
  }

  /** Drops DATA datagrams from A while the test says so (loss on the link). */
  final class Lossy implements LinkTransport {
    final LinkTransport inner;

    Lossy(LinkTransport inner) {
      this.inner = inner;
    }

    @Override
    public void start(Receiver receiver) {
      inner.start(receiver);
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      if (pathBroken) {
        return true; // everything lost on the way
      }
      if ((buf[off] & 0xFF) == LinkDatagram.TYPE_DATA
          && dropDataFromA.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return true; // lost on the way
      }
      return inner.send(buf, off, len);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @BeforeEach
  void link() throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    UdpLinkSocket a = UdpLinkSocket.bind(any);
    UdpLinkSocket b = UdpLinkSocket.bind(any);
    a.connect(b.localAddress());
    b.connect(a.localAddress());
    SecureRandom random = new SecureRandom();
    linkA =
        RelayLink.open(
            roomA,
            workerA,
            new Lossy(a),
            new LinkHandshake("node-a", "node-b", SECRET, random),
            System::nanoTime,
            System::currentTimeMillis);
    linkB =
        RelayLink.open(
            roomB,
            workerB,
            b,
            new LinkHandshake("node-b", "node-a", SECRET, random),
            System::nanoTime,
            System::currentTimeMillis);
    ticker.scheduleAtFixedRate(
        () -> {
          workerA.execute(() -> linkA.tick(System.nanoTime()));
          workerB.execute(
              () -> {
                long now = System.nanoTime();
                linkB.tick(now);
                if (tickRoomB) {
                  roomB.tick(now);
                }
              });
        },
        20,
        20,
        TimeUnit.MILLISECONDS);
    await("link established", () -> linkA.established() && linkB.established());
    alice = on(workerA, () -> roomA.addParticipant("alice", aliceSink, aliceSink, 2_000_000));
  }

  @AfterEach
  void stop() {
    ticker.shutdownNow();
    linkA.close();
    linkB.close();
    workerA.shutdown();
    workerB.shutdown();
  }

  static <T> T on(ExecutorService worker, Callable<T> task) throws Exception {
    return worker.submit(task).get(5, TimeUnit.SECONDS);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Exports alice's simulcast camera on A and imports it on B; returns the mirror. */
  PublishedTrack cascadeSimulcast() throws Exception {
    TrackInfo info = SimulcastTest.simulcastInfo("1");
    cam = on(workerA, () -> roomA.publish(alice, "cam", info, TrackSource.CAMERA));
    int channel = on(workerA, () -> linkA.export(cam));
    // What signalling carries to node B: the channel and the track's description.
    return on(workerB, () -> linkB.importTrack(channel, "alice", "cam", info, TrackSource.CAMERA));
  }

  void frame(int e, int frame, boolean key) {
    byte[] b =
        RtpBuilder.rtp(96, seq[e]++, SimulcastTest.TS_BASE[e] + frame * 3000, SSRC[e])
            .marker()
            .ext(SimulcastTest.MID, "31")
            .ext(SimulcastTest.RID, RIDS[e].getBytes(StandardCharsets.US_ASCII))
            .payload(SimulcastTest.vp8(pid[e]++, key, WIDTH[e], WIDTH[e] * 9 / 16))
            .build();
    alice.onRtp(b, 0, b.length, System.nanoTime());
  }

  /** Frames {@code from..to-1} of all three encodings, published on A's worker. */
  void publish(int from, int to, boolean keyAtFrom) throws Exception {
    on(
        workerA,
        () -> {
          for (int f = from; f < to; f++) {
            for (int e = 0; e < 3; e++) {
              frame(e, f, keyAtFrom && f == from);
            }
          }
          return null;
        });
  }

  record Viewer(Participant participant, RecordingSink sink, DownTrack down) {}

  Viewer viewer(String id, PublishedTrack mirror, int ssrc, int spatial) throws Exception {
    RecordingSink sink = new RecordingSink();
    return on(
        workerB,
        () -> {
          Participant p = roomB.addParticipant(id, sink, sink, 2_000_000);
          DownTrack d =
              roomB.subscribe(p, mirror, Streams.subscriberVideo(ssrc, 0), System.nanoTime());
          d.setTargetLayers(spatial, 3);
          return new Viewer(p, sink, d);
        });
  }

  int received(Viewer v) throws Exception {
    return on(workerB, () -> v.sink().rtp.size());
  }

  /** Keyframe widths in what a viewer received (VP8: the frame tag follows a 4-byte descriptor). */
  List<Integer> keyframeWidths(Viewer v) throws Exception {
    return on(
        workerB,
        () -> {
          List<Integer> widths = new ArrayList<>();
          for (int i = 0; i < v.sink().rtp.size(); i++) {
            RtpPacket p = v.sink().rtp(i);
            byte[] b = p.buffer();
            int at = p.payloadOffset() + 4;
            if ((b[at] & 1) == 0) {
              widths.add((b[at + 6] & 0xFF) | (b[at + 7] & 0x3F) << 8);
            }
          }
          return widths;
        });
  }

  @Test
  void everyEncodingCrossesTheLinkOnceWhateverTheNumberOfRemoteSubscribers() throws Exception {
    PublishedTrack mirror = cascadeSimulcast();
    Viewer[] viewers = {
      viewer("v0", mirror, 0x5000_0001, 0),
      viewer("v1", mirror, 0x5000_0002, 1),
      viewer("v2", mirror, 0x5000_0003, 2),
      viewer("v2b", mirror, 0x5000_0004, 2),
    };
    int frames = 30;
    publish(0, frames, true);
    for (Viewer v : viewers) {
      await(
          "viewer " + v.participant().id() + " got every frame",
          () -> {
            try {
              return received(v) == frames;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
    }
    assertThat(linkA.sent(LinkHeader.KIND_RTP))
        .as("each packet of each encoding once, though four viewers on B")
        .isEqualTo(3L * frames);
    assertThat(linkB.received(LinkHeader.KIND_RTP)).isEqualTo(3L * frames);
    for (int e = 0; e < 3; e++) {
      assertThat(mirror.packetsReceived(e)).isEqualTo(frames);
    }
    assertThat(keyframeWidths(viewers[0])).containsExactly(WIDTH[0]);
    assertThat(keyframeWidths(viewers[1])).containsExactly(WIDTH[1]);
    assertThat(keyframeWidths(viewers[2])).containsExactly(WIDTH[2]);
    assertThat(on(workerB, () -> viewers[3].sink().rtp(0).ssrc())).isEqualTo(0x5000_0004);
    assertThat(linkA.drops().total()).isZero();
    assertThat(linkB.drops().total()).isZero();
    assertThat(on(workerA, () -> cam.pipeCount())).isEqualTo(1);
  }

  @Test
  void aRemoteSubscriberSwitchesLayersAtTheNextKeyframe() throws Exception {
    PublishedTrack mirror = cascadeSimulcast();
    Viewer v = viewer("v", mirror, 0x5000_0001, 0);
    publish(0, 10, true);
    await("low layer", () -> count(v) == 10);
    // Sender reports of the three encodings at one instant, 10 frames in: they cross the link
    // and let B align the switch's timestamps.
    on(
        workerA,
        () -> {
          long ntp = 0x1234_5678_0000_0000L;
          for (int e = 0; e < 3; e++) {
            SenderReport sr =
                new SenderReport(
                    SSRC[e], ntp, SimulcastTest.TS_BASE[e] + 10 * 3000, 0, 0, List.of());
            byte[] b = new byte[64];
            int n = sr.write(b, 0);
            alice.onRtcp(b, 0, n, System.nanoTime());
          }
          return null;
        });
    await("sender reports across", () -> linkB.received(LinkHeader.KIND_SENDER_REPORT) == 3);
    on(
        workerB,
        () -> {
          v.down().setTargetLayers(2, 3);
          return null;
        });
    publish(10, 20, false); // no keyframe yet: stays on the low layer
    on(
        workerA,
        () -> {
          frame(2, 20, true); // the high encoding's keyframe, first at frame 20
          frame(0, 20, false);
          frame(1, 20, false);
          return null;
        });
    publish(21, 30, false);
    await("switched", () -> count(v) == 30);
    assertThat(keyframeWidths(v)).containsExactly(WIDTH[0], WIDTH[2]);
    assertThat(linkA.sent(LinkHeader.KIND_SENDER_REPORT)).isEqualTo(3);
    int lastLow = on(workerB, () -> v.sink().rtp(19).timestamp());
    int firstHigh = on(workerB, () -> v.sink().rtp(20).timestamp());
    assertThat(firstHigh - lastLow).as("aligned by the relayed sender reports").isEqualTo(3000);
    List<Integer> seqs =
        on(
            workerB,
            () -> {
              List<Integer> s = new ArrayList<>();
              for (int i = 0; i < v.sink().rtp.size(); i++) {
                s.add(v.sink().rtp(i).sequenceNumber());
              }
              return s;
            });
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i))
          .as("gapless across the switch")
          .isEqualTo((seqs.get(i - 1) + 1) & 0xFFFF);
    }
  }

  int count(Viewer v) {
    try {
      return received(v);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void lossOnTheLinkIsRepairedByNack() throws Exception {
    PublishedTrack mirror = cascadeSimulcast();
    Viewer v = viewer("v", mirror, 0x5000_0001, 0);
    publish(0, 5, true);
    await("first frames", () -> count(v) == 5);
    dropDataFromA.set(6); // frames 5 and 6 of all three encodings are lost on the link
    publish(5, 7, false);
    tickRoomB = true; // the mirror's NACK generator runs from B's room tick
    publish(7, 12, false);
    await("the lost frames recovered", () -> count(v) == 12);
    LinkSender sender = linkA.senderOf(1);
    assertThat(sender).isNotNull();
    long retransmitted = on(workerA, sender::retransmitted);
    assertThat(retransmitted).as("the six lost packets, sent again").isGreaterThanOrEqualTo(6);
    assertThat(linkB.sent(LinkHeader.KIND_NACK)).isPositive();
    ReceiveCounters c = on(workerB, mirror::counters);
    // A NACK repeated before its answer arrived (a slow machine) brings a packet twice: counted
    // as a duplicate, never forwarded twice.
    assertThat(c.packets() - c.duplicates())
        .as("every packet of every encoding, at last")
        .isEqualTo(3L * 12);
    assertThat(c.nacksSent()).isPositive();
    Set<Integer> seqs =
        on(
            workerB,
            () -> {
              Set<Integer> s = new HashSet<>();
              for (int i = 0; i < v.sink().rtp.size(); i++) {
                s.add(v.sink().rtp(i).sequenceNumber());
              }
              return s;
            });
    assertThat(seqs).as("twelve distinct packets, none twice").hasSize(12);
  }

  @Test
  void aRemotePliBecomesAKeyframeRequestAtTheOrigin() throws Exception {
    PublishedTrack mirror = cascadeSimulcast();
    Viewer v = viewer("v", mirror, 0x5000_0001, 1);
    publish(0, 5, true);
    await("frames", () -> count(v) == 5);
    on(
        workerA,
        () -> {
          aliceSink.clear();
          return null;
        });
    byte[] pli = new byte[PictureLossIndication.LENGTH];
    new PictureLossIndication(0x7777, 0x5000_0001).write(pli, 0);
    on(
        workerB,
        () -> {
          v.participant().onRtcp(pli, 0, pli.length, System.nanoTime());
          return null;
        });
    await("a PLI for encoding 1 at the publisher", () -> plisAtPublisher().contains(SSRC[1]));
    assertThat(linkB.sent(LinkHeader.KIND_PLI)).isEqualTo(1);
    assertThat(plisAtPublisher()).containsOnly(SSRC[1]);
  }

  @Test
  void aTrackNobodyThereNeedsStaysOffTheLinkUntilAKeyframeRequestOrItsLayersAreWanted()
      throws Exception {
    PublishedTrack mirror = cascadeSimulcast();
    int channel = 1;
    publish(0, 2, true);
    await("the first frames cross", () -> linkA.sent(LinkHeader.KIND_RTP) == 6);
    on(
        workerA,
        () -> {
          linkA.wantLayers(channel, -1); // node B: no subscriber needs any layer
          return null;
        });
    publish(2, 10, false);
    assertThat(on(workerA, () -> linkA.senderOf(channel).unwanted())).isTrue();
    assertThat(linkA.sent(LinkHeader.KIND_RTP)).as("nothing more while unwanted").isEqualTo(6);

    // A subscriber comes on B: its keyframe request resumes the track before its layers arrive.
    Viewer v = viewer("late", mirror, 0x5000_0001, 2);
    byte[] pli = new byte[PictureLossIndication.LENGTH];
    new PictureLossIndication(0x7777, 0x5000_0001).write(pli, 0);
    on(
        workerB,
        () -> {
          v.participant().onRtcp(pli, 0, pli.length, System.nanoTime());
          return null;
        });
    await("resumed by the PLI", () -> !senderUnwanted(channel));
    publish(10, 12, true);
    await("frames cross again", () -> linkA.sent(LinkHeader.KIND_RTP) == 12);

    // Layers wanted again (the state after the subscription) keep it on; -1 again takes it off.
    on(
        workerA,
        () -> {
          linkA.wantLayers(channel, 2);
          return null;
        });
    assertThat(senderUnwanted(channel)).isFalse();
    on(
        workerA,
        () -> {
          linkA.wantLayers(channel, -1);
          return null;
        });
    assertThat(senderUnwanted(channel)).isTrue();
  }

  /** How long B's link has heard nothing from A. */
  long silentMillisAtB() {
    try {
      return TimeUnit.NANOSECONDS.toMillis(on(workerB, () -> linkB.silentNanos(System.nanoTime())));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  boolean senderUnwanted(int channel) {
    try {
      return on(workerA, () -> linkA.senderOf(channel).unwanted());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aLiveLinkIsHeardWithoutMediaAndABrokenPathFallsSilent() throws Exception {
    // No media at all: A's keepalive hellos still reach B every second.
    long start = System.nanoTime();
    while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2_500)) {
      assertThat(silentMillisAtB()).as("B hears A at least every keepalive").isLessThan(1_500);
      Thread.sleep(100); // sampling the silence as it goes, not waiting for an outcome
    }
    pathBroken = true; // nothing from A gets through any more
    await("B finds A silent", () -> silentMillisAtB() > 1_500);
    assertThat(linkB.established()).as("still keyed: the path broke, not the link").isTrue();
    pathBroken = false;
    await("B hears A again", () -> silentMillisAtB() < 1_500);
  }

  List<Integer> plisAtPublisher() {
    try {
      return on(
          workerA,
          () -> {
            List<Integer> ssrcs = new ArrayList<>();
            for (RtcpPacket p : aliceSink.rtcpPackets()) {
              if (p instanceof PictureLossIndication pli) {
                ssrcs.add(pli.mediaSsrc());
              }
            }
            return ssrcs;
          });
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aLinkUnderAnotherSecretNeverEstablishes() throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    UdpLinkSocket a = UdpLinkSocket.bind(any);
    UdpLinkSocket b = UdpLinkSocket.bind(any);
    a.connect(b.localAddress());
    b.connect(a.localAddress());
    byte[] other = SECRET.clone();
    other[3] ^= 1;
    SecureRandom random = new SecureRandom();
    RelayLink x =
        RelayLink.open(
            roomA,
            workerA,
            a,
            new LinkHandshake("node-a", "node-b", SECRET, random),
            System::nanoTime,
            System::currentTimeMillis);
    RelayLink y =
        RelayLink.open(
            roomB,
            workerB,
            b,
            new LinkHandshake("node-b", "node-a", other, random),
            System::nanoTime,
            System::currentTimeMillis);
    try {
      for (int i = 0; i < 5; i++) { // hellos each way, resent while unconfirmed
        long now = System.nanoTime() + i * 1_000_000_000L;
        workerA.submit(() -> x.tick(now)).get();
        workerB.submit(() -> y.tick(now)).get();
      }
      await(
          "both refused hellos",
          () ->
              x.drops().count(LinkDropReason.HELLO_BAD_MAC) >= 3
                  && y.drops().count(LinkDropReason.HELLO_BAD_MAC) >= 3);
      assertThat(x.established()).isFalse();
      assertThat(y.established()).isFalse();
    } finally {
      x.close();
      y.close();
    }
  }
}
