package eu.visio.sfu.bench;

import eu.visio.media.DropCounters;
import eu.visio.media.relay.LinkDatagram;
import eu.visio.media.relay.LinkHandshake;
import eu.visio.media.relay.LinkKeys;
import eu.visio.media.relay.LinkOpener;
import eu.visio.media.relay.LinkSealer;
import eu.visio.media.relay.LinkTransport;
import eu.visio.sfu.Participant;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.Room;
import eu.visio.sfu.RoomListener;
import eu.visio.sfu.RtpSink;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackKind;
import eu.visio.sfu.TrackSource;
import eu.visio.sfu.WorkerContext;
import eu.visio.sfu.cascade.RelayLink;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-packet cost of a cascade link, which must not allocate. {@code sealAndOpen}: one 1,200-byte
 * packet sealed by one node and opened by the other (the crypto alone). {@code publishAcrossLink}:
 * a publisher's packet on node A (history, parse) exported over a {@link RelayLink} (header, seal)
 * through an in-memory transport into node B's link (open, replay window, hand-off ring) and its
 * mirror track (history, parse); one thread plays both workers and the socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RelayLinkBenchmark {
  private static final byte[] SECRET =
      "benchmark cluster secret of 32+ bytes".getBytes(StandardCharsets.UTF_8);
  private static final int SSRC = 0x1234_5678;
  private static final int PAYLOAD = 1200;

  private final byte[] datagram = new byte[PAYLOAD + LinkDatagram.OVERHEAD];
  private final byte[] packet = new byte[12 + PAYLOAD];
  private LinkSealer sealer;
  private LinkOpener opener;
  private Participant alice;
  private PublishedTrack mirror;
  private int seq;
  private long now;

  /** A transport that hands each datagram straight to the other end's receiver. */
  static final class Wire implements LinkTransport {
    Wire peer;
    Receiver receiver;

    @Override
    public void start(Receiver r) {
      this.receiver = r;
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      if (peer.receiver == null) {
        return false;
      }
      peer.receiver.onDatagram(buf, off, len);
      return true;
    }

    @Override
    public void close() {}
  }

  @Setup
  public void setUp() {
    SecureRandom random = new SecureRandom();
    LinkHandshake a = new LinkHandshake("node-a", "node-b", SECRET, random);
    LinkHandshake b = new LinkHandshake("node-b", "node-a", SECRET, random);
    byte[] hello = new byte[256];
    b.onHello(
        hello, 0, a.writeHello(hello, 0, System.currentTimeMillis()), System.currentTimeMillis());
    a.onHello(
        hello, 0, b.writeHello(hello, 0, System.currentTimeMillis()), System.currentTimeMillis());
    LinkKeys ka = a.keys();
    sealer = ka.sealer();
    opener = b.keys().opener();

    Executor inline = Runnable::run;
    Room roomA = room();
    Room roomB = room();
    Wire wa = new Wire();
    Wire wb = new Wire();
    wa.peer = wb;
    wb.peer = wa;
    RelayLink linkA =
        RelayLink.open(
            roomA,
            inline,
            wa,
            new LinkHandshake("node-a", "node-b", SECRET, random),
            () -> now,
            System::currentTimeMillis);
    RelayLink linkB =
        RelayLink.open(
            roomB,
            inline,
            wb,
            new LinkHandshake("node-b", "node-a", SECRET, random),
            () -> now,
            System::currentTimeMillis);
    linkA.tick(1_000_000_000L); // A's first hello went out before B listened
    if (!linkA.established() || !linkB.established()) {
      throw new IllegalStateException("link not established");
    }
    TrackInfo info = new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 96, -1, SSRC, 0, Map.of(), "1");
    alice = roomA.addParticipant("alice", RtpSink.DISCARD, RtpSink.DISCARD, 2_000_000);
    PublishedTrack cam = roomA.publish(alice, "cam", info, TrackSource.CAMERA);
    int channel = linkA.export(cam);
    mirror = linkB.importTrack(channel, "alice", "cam", info, TrackSource.CAMERA);
    packet[0] = (byte) 0x80;
    packet[1] = 96;
    packet[8] = (byte) (SSRC >>> 24);
    packet[9] = (byte) (SSRC >>> 16);
    packet[10] = (byte) (SSRC >>> 8);
    packet[11] = (byte) SSRC;
    packet[12] = 0x10; // VP8 descriptor S=1, then a delta frame tag
    packet[13] = 0x31;
    if (publishAcrossLink() != 1) {
      throw new IllegalStateException("the packet did not reach the mirror");
    }
  }

  private static Room room() {
    return new Room("r", new RoomListener() {}, WorkerContext.create(new DropCounters()));
  }

  @Benchmark
  public int sealAndOpen() {
    sealer.seal(datagram, 0, PAYLOAD);
    if (opener.open(datagram, 0, datagram.length) != null) {
      throw new IllegalStateException("did not open");
    }
    return datagram[LinkDatagram.DATA_HEADER];
  }

  @Benchmark
  public long publishAcrossLink() {
    int s = seq++;
    now += 1_000_000L;
    packet[2] = (byte) (s >>> 8);
    packet[3] = (byte) s;
    int ts = s * 3000;
    packet[4] = (byte) (ts >>> 24);
    packet[5] = (byte) (ts >>> 16);
    packet[6] = (byte) (ts >>> 8);
    packet[7] = (byte) ts;
    alice.onRtp(packet, 0, packet.length, now);
    return mirror.packetsReceived(0);
  }
}
