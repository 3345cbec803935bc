package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.ReceiverReport;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.ForwardDrops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Connection quality grades on a virtual clock: loss either way, silence, recovery. */
class QualityTest {
  static final long MS = 1_000_000L;

  record Change(String participant, ConnectionQuality quality) {}

  final List<Change> changes = new ArrayList<>();
  final Room room =
      new Room(
          "r",
          new RoomListener() {
            @Override
            public void onQualityChanged(Participant p, ConnectionQuality q, double score) {
              changes.add(new Change(p.id(), q));
            }
          },
          new WorkerContext(new DropCounters(), new ForwardDrops(), Streams.scratch()));
  final RecordingSink pubSink = new RecordingSink();
  final RecordingSink subSink = new RecordingSink();
  final Participant pub = room.addParticipant("pub", pubSink, pubSink, 1_000_000);
  final Participant sub = room.addParticipant("sub", subSink, subSink, 1_000_000);
  final PublishedTrack audio =
      room.publish(
          pub,
          "a",
          new TrackInfo(
              TrackKind.AUDIO, "opus", 48_000, 111, -1, 0x10, 0, Map.of(RtpExtensions.MID, 1), "0"),
          TrackSource.MICROPHONE);
  final DownTrack down = room.subscribe(sub, audio, Streams.subscriberAudio(0x20), 0);
  int seq;
  long now;

  /** Two seconds of 20 ms audio, every {@code lossEvery}-th packet lost (0: none), ticking. */
  void audioFor2s(int lossEvery) {
    for (int i = 0; i < 100; i++, now += 20 * MS) {
      seq++;
      if (lossEvery == 0 || seq % lossEvery != 0) {
        byte[] b = RtpBuilder.rtp(111, seq, seq * 960, 0x10).payload(Streams.OPUS).build();
        pub.onRtp(b, 0, b.length, now);
      }
      room.tick(now);
    }
  }

  @Test
  void upstreamLossDowngradesThePublisherAndRecoveryRestoresIt() {
    audioFor2s(0);
    audioFor2s(0);
    assertThat(pub.quality()).isEqualTo(ConnectionQuality.EXCELLENT);
    audioFor2s(8); // 12.5% lost
    audioFor2s(8);
    assertThat(pub.quality()).isEqualTo(ConnectionQuality.POOR);
    audioFor2s(0);
    audioFor2s(0);
    assertThat(pub.quality()).isEqualTo(ConnectionQuality.EXCELLENT);
    assertThat(changes)
        .containsExactly(
            new Change("pub", ConnectionQuality.POOR),
            new Change("pub", ConnectionQuality.EXCELLENT));
  }

  @Test
  void aSilentPublisherIsLost() {
    audioFor2s(0);
    for (int i = 0; i < 150; i++, now += 20 * MS) {
      room.tick(now);
    }
    assertThat(pub.quality()).isEqualTo(ConnectionQuality.LOST);
  }

  @Test
  void lossTheSubscriberReportsDowngradesTheSubscriber() {
    audioFor2s(0);
    byte[] b = new byte[64];
    int n = new ReceiverReport(7, List.of(new ReportBlock(0x20, 20, 5, seq, 0, 0, 0))).write(b, 0);
    sub.onRtcp(b, 0, n, now);
    audioFor2s(0);
    assertThat(sub.quality()).isEqualTo(ConnectionQuality.GOOD); // 20/256 = 7.8% lost
    assertThat(pub.quality()).isEqualTo(ConnectionQuality.EXCELLENT);
  }
}
