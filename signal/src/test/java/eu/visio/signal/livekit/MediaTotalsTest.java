package eu.visio.signal.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.GenericNack;
import eu.visio.sfu.Participant;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.RecordingSink;
import eu.visio.sfu.Room;
import eu.visio.sfu.RoomListener;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackKind;
import eu.visio.sfu.TrackSource;
import eu.visio.sfu.WorkerContext;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The media counts behind the metrics, read from a real SFU room: a subscriber's NACK answered from
 * the history is a retransmission; a NACK for a packet lost before it reached us is not, and says
 * so (the publisher never repaired it).
 */
class MediaTotalsTest {
  private static final int PUB_SSRC = 0x200;
  private static final int SUB_SSRC = 0x2001;
  private static final int SUB_RTX_SSRC = 0x2002;
  private static final int VP8_PT = 96;
  private static final int RTX_PT = 97;
  private static final byte[] VP8_KEY = HexFormat.of().parseHex("10500100" + "9d012a0102030405");
  private static final byte[] VP8_DELTA = HexFormat.of().parseHex("1031" + "0203040506");

  private final Room room =
      new Room(
          "r",
          new RoomListener() {},
          new WorkerContext(
              new DropCounters(), new eu.visio.sfu.layer.ForwardDrops(), new byte[1520]));
  private final RecordingSink publisherSink = new RecordingSink();
  private final RecordingSink subscriberSink = new RecordingSink();
  private final Participant publisher =
      room.addParticipant("pub", publisherSink, new RecordingSink(), 2_000_000);
  private final Participant subscriber =
      room.addParticipant("sub", new RecordingSink(), subscriberSink, 2_000_000);

  MediaTotalsTest() {
    PublishedTrack video =
        room.publish(
            publisher,
            "v",
            new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, VP8_PT, -1, PUB_SSRC, 0, Map.of(), "1"),
            TrackSource.CAMERA);
    room.subscribe(
        subscriber,
        video,
        new TrackInfo(
            TrackKind.VIDEO, "VP8", 90_000, VP8_PT, RTX_PT, SUB_SSRC, SUB_RTX_SSRC, Map.of(), "v"),
        0);
  }

  private void publish(int seq, byte[] payload, long now) {
    byte[] b = new byte[12 + payload.length];
    b[0] = (byte) 0x80;
    b[1] = (byte) VP8_PT;
    b[2] = (byte) (seq >>> 8);
    b[3] = (byte) seq;
    int ts = seq * 3000;
    b[4] = (byte) (ts >>> 24);
    b[5] = (byte) (ts >>> 16);
    b[6] = (byte) (ts >>> 8);
    b[7] = (byte) ts;
    b[8] = (byte) (PUB_SSRC >>> 24);
    b[9] = (byte) (PUB_SSRC >>> 16);
    b[10] = (byte) (PUB_SSRC >>> 8);
    b[11] = (byte) PUB_SSRC;
    System.arraycopy(payload, 0, b, 12, payload.length);
    publisher.onRtp(b, 0, b.length, now);
  }

  private void nack(int seq, long now) {
    byte[] b = new byte[64];
    int n = GenericNack.fromLost(0x77, SUB_SSRC, List.of(seq)).write(b, 0);
    subscriber.onRtcp(b, 0, n, now);
  }

  @Test
  void aNackAnsweredFromTheHistoryCountsAsARetransmission() {
    long ms = 1_000_000;
    publish(1, VP8_KEY, 0);
    publish(2, VP8_DELTA, 33 * ms);
    publish(3, VP8_DELTA, 66 * ms);
    assertThat(subscriberSink.rtp).hasSize(3);
    int second = subscriberSink.rtp(1).sequenceNumber();

    nack(second, 100 * ms);

    assertThat(subscriberSink.rtp).hasSize(4);
    assertThat(subscriberSink.rtp(3).ssrc()).isEqualTo(SUB_RTX_SSRC);
    MediaTotals t = MediaTotals.of(subscriber);
    assertThat(t.retransmissions()).isEqualTo(1);
    assertThat(t.nackedResent()).isEqualTo(1);
    assertThat(t.nackedNotInHistory()).isZero();
    assertThat(MediaTotals.ZERO.plus(t).plus(t).retransmissions()).isEqualTo(2);
  }

  /**
   * The load test's case: the packet is lost between the publisher and us, the publisher does not
   * answer our NACK, so the subscriber NACKs a number the history never held: nothing to resend.
   */
  @Test
  void aNackForAPacketLostUpstreamIsNotARetransmissionButSaysWhy() {
    long ms = 1_000_000;
    publish(1, VP8_KEY, 0);
    publish(2, VP8_DELTA, 33 * ms);
    publish(4, VP8_DELTA, 99 * ms); // 3 lost on the way to us
    assertThat(subscriberSink.rtp).hasSize(3);
    int lost = (subscriberSink.rtp(1).sequenceNumber() + 1) & 0xFFFF;
    assertThat(subscriberSink.rtp(2).sequenceNumber()).isEqualTo((lost + 1) & 0xFFFF);

    nack(lost, 120 * ms);

    assertThat(subscriberSink.rtp).hasSize(3);
    MediaTotals t = MediaTotals.of(subscriber);
    assertThat(t.retransmissions()).isZero();
    assertThat(t.nackedResent()).isZero();
    assertThat(t.nackedNotInHistory()).isEqualTo(1);
  }
}
