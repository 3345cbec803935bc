package eu.visio.sfu.bench;

import eu.visio.media.DropCounters;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.sfu.Broadcast;
import eu.visio.sfu.DownTrack;
import eu.visio.sfu.Publisher;
import eu.visio.sfu.RtpSink;
import eu.visio.sfu.Subscriber;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackKind;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one forwarded packet: a publisher's 1,200-byte VP8 packet fanned out by {@link
 * Publisher#onRtp} to N subscribers, each through the whole down-track path (layer selection,
 * sequence/timestamp/picture-id rewriting, extension ids, transport-wide number) and SRTP-protected
 * in place by the subscriber's own session.
 *
 * <p>One op is one delivery (one subscriber receiving one packet): each invocation forwards {@code
 * 100 / N} publisher packets to N subscribers, i.e. {@link #DELIVERIES} deliveries, so both the
 * time and {@code gc.alloc.rate.norm} read per forwarded packet whatever N is. The receive side
 * (SRTP unprotect of the publisher's packet) is not included; SrtpBenchmark measures it.
 *
 * <p>Measured on a 2-core machine running at load average 13-16 (other builds), so the times say
 * little (errors of ±100% and more): ns per delivery, GCM N=1/10/100 ~12,000/7,600/33,000, AES-CM
 * ~6,300/7,900/5,000. Allocation is the reliable part: ~0.05 B per delivery (noise) after the
 * publisher stopped boxing SSRCs; before that, 16 B per publisher packet. GCM at N=100 was the
 * slowest in both runs (88,000 ns in the first): each GCM session carries 64 KiB GHASH tables, and
 * 100 of them do not fit in cache. Re-measure on a quiet machine before concluding anything.
 *
 * <p>Run: {@code mvn -B -q -o -pl sfu -am test-compile}, then {@code java -cp
 * "sfu/target/test-classes:sfu/target/classes:media/target/classes:<test classpath>"
 * org.openjdk.jmh.Main ForwardBenchmark -f 1 -wi 3 -i 3 -w 1s -r 1s -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ForwardBenchmark {
  static final int DELIVERIES = 100;
  static final int PACKET = 1200;
  static final int PUB_SSRC = 0x1234_5678;
  static final long FRAME_NANOS = 33_333_333;

  @Param({"1", "10", "100"})
  public int subscribers;

  @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
  public SrtpProfile profile;

  private Publisher publisher;
  private byte[] packet;
  private int packetsPerInvocation;
  private int seq;
  private int ts;
  private long now;
  private SrtpSink[] sinks;

  /** A subscriber's transport minus the socket: protects in place and counts what it would send. */
  static final class SrtpSink implements RtpSink {
    private final SrtpSession session;
    long bytes;

    SrtpSink(SrtpSession session) {
      this.session = session;
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
      int n = session.protectRtp(buf, off, len);
      if (n < 0) {
        throw new IllegalStateException("protect failed: " + n);
      }
      bytes += n;
      return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
      int n = session.protectRtcp(buf, off, len);
      bytes += Math.max(0, n);
      return n >= 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(7);
    byte[] exported = new byte[SrtpKeyingMaterial.exportLength(profile)];
    random.nextBytes(exported);
    SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExported(profile, exported);

    byte[] scratch = new byte[1500 + SrtpSession.MAX_RTCP_OVERHEAD];
    publisher =
        new Publisher(
            "pub",
            new SrtpSink(new SrtpSession(keys, false)),
            new DropCounters(),
            scratch,
            4_000_000);
    // Chrome's numbering on the publisher, another one on the subscribers: ids are rewritten.
    Map<String, Integer> pubExt =
        Map.of(RtpExtensions.ABS_SEND_TIME, 2, RtpExtensions.TRANSPORT_CC, 3, RtpExtensions.MID, 4);
    Map<String, Integer> subExt =
        Map.of(RtpExtensions.ABS_SEND_TIME, 3, RtpExtensions.TRANSPORT_CC, 5, RtpExtensions.MID, 1);
    publisher.addTrack(
        "v",
        new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 96, 97, PUB_SSRC, PUB_SSRC + 1, pubExt, "1"));
    Broadcast broadcast = new Broadcast("bench");
    broadcast.setPublisher(publisher, 0);
    sinks = new SrtpSink[subscribers];
    for (int i = 0; i < subscribers; i++) {
      sinks[i] = new SrtpSink(new SrtpSession(keys, false));
      TrackInfo out =
          new TrackInfo(
              TrackKind.VIDEO,
              "VP8",
              90_000,
              120,
              121,
              0x4000_0000 + 2 * i,
              0x4000_0001 + 2 * i,
              subExt,
              "v");
      DownTrack down = new DownTrack("sub" + i + "/v", out, sinks[i]);
      // Through a Subscriber, as in a room: the down track stamps transport-wide numbers.
      new Subscriber("sub" + i, new DropCounters(), sinks[i]).addDownTrack(down);
      broadcast.addDownTrack(down, 0);
    }

    packet = vp8Packet(random);
    packet[PAYLOAD] = (byte) 0x90; // keyframe first, so every down track starts
    packet[PAYLOAD + 3] = 0x00;
    forwardOne();
    for (SrtpSink s : sinks) {
      if (s.bytes != PACKET + s.session.rtpOverhead()) {
        throw new IllegalStateException("a down track did not start on the keyframe");
      }
    }
    packet[PAYLOAD + 3] = 0x01; // then delta frames
    packetsPerInvocation = DELIVERIES / subscribers;
  }

  private static final int PAYLOAD = 12 + 4 + 12;

  /**
   * V=2 X=1 PT=96; one-byte extensions: abs-send-time (3 bytes), transport-cc (2), mid "1"; then a
   * VP8 descriptor with a 7-bit picture id and random "frame" bytes.
   */
  private static byte[] vp8Packet(Random random) {
    byte[] p = new byte[PACKET];
    random.nextBytes(p);
    p[0] = (byte) 0x90;
    p[1] = 96;
    p[8] = (byte) (PUB_SSRC >>> 24);
    p[9] = (byte) (PUB_SSRC >>> 16);
    p[10] = (byte) (PUB_SSRC >>> 8);
    p[11] = (byte) PUB_SSRC;
    byte[] ext = {
      (byte) 0xBE,
      (byte) 0xDE,
      0,
      3, // profile, 3 words
      0x22,
      1,
      2,
      3, // abs-send-time
      0x31,
      0,
      7, // transport-cc
      0x40,
      '1', // mid
      0,
      0,
      0 // padding
    };
    System.arraycopy(ext, 0, p, 12, ext.length);
    p[PAYLOAD] = (byte) 0x90; // X, S=1, PID=0
    p[PAYLOAD + 1] = (byte) 0x80; // I
    p[PAYLOAD + 2] = 0x11; // picture id
    return p;
  }

  private void forwardOne() {
    seq = (seq + 1) & 0xFFFF;
    ts += 3000;
    now += FRAME_NANOS;
    packet[2] = (byte) (seq >>> 8);
    packet[3] = (byte) seq;
    packet[4] = (byte) (ts >>> 24);
    packet[5] = (byte) (ts >>> 16);
    packet[6] = (byte) (ts >>> 8);
    packet[7] = (byte) ts;
    packet[PAYLOAD + 2] = (byte) (seq & 0x7F); // a new picture per packet, as the munger sees it
    publisher.onRtp(packet, 0, PACKET, now);
  }

  /** {@link #DELIVERIES} deliveries: 100/N publisher packets, each to N subscribers. */
  @Benchmark
  @OperationsPerInvocation(DELIVERIES)
  public long forward() {
    for (int i = 0; i < packetsPerInvocation; i++) {
      forwardOne();
    }
    return sinks[0].bytes;
  }
}
