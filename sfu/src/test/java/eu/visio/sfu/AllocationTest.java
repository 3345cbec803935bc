package eu.visio.sfu;

import static eu.visio.sfu.Streams.MS;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.GenericNack;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forwarding path (publisher RTP and RTX in, rewritten copies out to every down track) does not
 * allocate per packet. Measured with the JVM's per-thread allocation counter over many packets, so
 * a single per-packet object (16 bytes) shows up as hundreds of kilobytes.
 */
class AllocationTest {
  private static final int PACKETS = 20_000;

  /** A transport that accepts and forgets. */
  private static final class CountingSink implements RtpSink {
    long packets;

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
      packets++;
      return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
      return true;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"VP8", "vp8"})
  void forwardingAllocatesNothingPerPacket(String codecName) {
    byte[] scratch = Streams.scratch();
    Publisher publisher = new Publisher("p", new CountingSink(), new DropCounters(), scratch, 1);
    publisher.addTrack(
        "v",
        new TrackInfo(
            TrackKind.VIDEO,
            codecName,
            90_000,
            Streams.PUB_VP8_PT,
            Streams.PUB_RTX_PT,
            Streams.PUB_VIDEO_SSRC,
            Streams.PUB_RTX_SSRC,
            Streams.PUB_EXT,
            "1"));
    Broadcast broadcast = new Broadcast("s");
    broadcast.setPublisher(publisher, 0);
    CountingSink out = new CountingSink();
    broadcast.addDownTrack(new DownTrack("a", Streams.subscriberVideo(7, 8), out), 0);
    broadcast.addDownTrack(new DownTrack("b", Streams.subscriberVideo(9, 0), out), 0);
    Map<String, Integer> sameIds = Streams.PUB_EXT;
    broadcast.addDownTrack(
        new DownTrack(
            "c", new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 100, -1, 11, 0, sameIds, "1"), out),
        0);
    byte[] media =
        RtpBuilder.rtp(Streams.PUB_VP8_PT, 0, 0, Streams.PUB_VIDEO_SSRC)
            .ext(3, "0001")
            .ext(4, "31")
            .payload(Streams.VP8_KEY)
            .build();
    byte[] rtx =
        RtpBuilder.rtp(Streams.PUB_RTX_PT, 0, 0, Streams.PUB_RTX_SSRC)
            .ext(3, "0002")
            .payload("0000" + Streams.VP8_DELTA)
            .build();

    send(publisher, media, rtx, 0, 5_000); // start, and let the JIT settle
    assertThat(out.packets).isGreaterThan(10_000);
    long before = allocatedBytes();
    send(publisher, media, rtx, 5_000, PACKETS);
    long allocated = allocatedBytes() - before;

    assertThat(allocated).as("bytes allocated for %d packets", 2 * PACKETS).isLessThan(4096);
  }

  /**
   * The retransmission paths: every packet stored in the history and recorded for transport-cc, one
   * in ten lost and repaired by the publisher's RTX (NACK generator, rebuild, forward to each down
   * track as RTX or plain), and subscribers' NACKs answered from the history. The NACK is parsed
   * once outside the loop: parsing RTCP allocates its records, once per RTCP packet.
   */
  @Test
  void historyRtxAndNackServingAllocateNothingPerPacket() {
    byte[] scratch = Streams.scratch();
    Publisher publisher = new Publisher("p", new CountingSink(), new DropCounters(), scratch, 1);
    publisher.addTrack("v", Streams.publisherVideo(true));
    Broadcast broadcast = new Broadcast("s");
    broadcast.setPublisher(publisher, 0);
    CountingSink out = new CountingSink();
    DownTrack withRtx = new DownTrack("a", Streams.subscriberVideo(7, 8), out);
    DownTrack plain = new DownTrack("b", Streams.subscriberVideo(9, 0), out);
    broadcast.addDownTrack(withRtx, 0);
    broadcast.addDownTrack(plain, 0);
    byte[] media =
        RtpBuilder.rtp(Streams.PUB_VP8_PT, 0, 0, Streams.PUB_VIDEO_SSRC)
            .ext(3, "0001")
            .ext(4, "31")
            .payload(Streams.VP8_KEY)
            .build();
    byte[] rtx =
        RtpBuilder.rtp(Streams.PUB_RTX_PT, 0, 0, Streams.PUB_RTX_SSRC)
            .ext(3, "0002")
            .payload("0000" + Streams.VP8_DELTA)
            .build();
    // NACKs for packets i - 50 and i - 47, sent after packet i (i % 100 == 99), built up front.
    GenericNack[] nacks = new GenericNack[(5_000 + PACKETS) / 100];
    for (int k = 0; k < nacks.length; k++) {
      nacks[k] = GenericNack.fromLost(1, 7, List.of(k * 100 + 49, k * 100 + 52));
    }

    sendWithLosses(publisher, media, rtx, 0, 5_000, withRtx, plain, nacks);
    long served = withRtx.nacksServed();
    long before = allocatedBytes();
    sendWithLosses(publisher, media, rtx, 5_000, PACKETS, withRtx, plain, nacks);
    long allocated = allocatedBytes() - before;

    assertThat(allocated).as("bytes allocated for %d packets", PACKETS).isLessThan(4096);
    assertThat(publisher.tracks().getFirst().counters().rtxRecovered()).isGreaterThan(PACKETS / 10);
    assertThat(withRtx.nacksServed() - served).isGreaterThan(100);
    assertThat(publisher.transportFeedbackSent()).isZero(); // no tick: arrivals only recorded
  }

  /** Media {@code i} except every tenth, repaired by RTX instead; NACKs every 100 packets. */
  private static void sendWithLosses(
      Publisher publisher,
      byte[] media,
      byte[] rtx,
      int from,
      int count,
      DownTrack a,
      DownTrack b,
      GenericNack[] nacks) {
    int twcc = from * 2;
    for (int i = from; i < from + count; i++) {
      long now = i * 10 * MS;
      if (i % 10 != 5) {
        media[2] = (byte) (i >>> 8);
        media[3] = (byte) i;
        // transport-cc value: after the block header (4 bytes) and the element header (1 byte)
        media[12 + 5] = (byte) (twcc >>> 8);
        media[12 + 6] = (byte) twcc++;
        publisher.onRtp(media, 0, media.length, now);
      } else {
        rtx[2] = (byte) (i >>> 8);
        rtx[3] = (byte) i;
        rtx[12 + 5] = (byte) (twcc >>> 8);
        rtx[12 + 6] = (byte) twcc++;
        rtx[12 + 8] = (byte) (i >>> 8); // OSN, after the 8-byte extension block
        rtx[12 + 9] = (byte) i;
        publisher.onRtp(rtx, 0, rtx.length, now + MS);
      }
      if (i % 100 == 99 && i >= 100) {
        GenericNack nack = nacks[(i - 50) / 100];
        a.onNack(nack, now);
        b.onNack(nack, now);
      }
    }
  }

  private static void send(Publisher publisher, byte[] media, byte[] rtx, int from, int count) {
    for (int i = from; i < from + count; i++) {
      media[2] = (byte) (i >>> 8);
      media[3] = (byte) i;
      publisher.onRtp(media, 0, media.length, i * 10 * MS);
      rtx[2] = (byte) (i >>> 8);
      rtx[3] = (byte) i;
      rtx[12 + 8] = (byte) (i >>> 8); // OSN, after the 8-byte extension block
      rtx[12 + 9] = (byte) i;
      publisher.onRtp(rtx, 0, rtx.length, i * 10 * MS);
    }
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
