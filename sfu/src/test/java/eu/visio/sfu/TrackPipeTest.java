package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.ForwardDrops;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A track piped from a room shard on one worker into a shard on another: subscribers of the mirror
 * get the stream, their keyframe requests reach the publisher, packets the pipe refused are
 * recovered from the source's history, and closing removes the mirror. Workers are task queues the
 * test runs by hand (one thread, deterministic), then two real threads.
 */
class TrackPipeTest {
  static final long MS = 1_000_000L;
  static final int LEVEL = 1;
  static final Map<String, Integer> EXT =
      Map.of(RtpExtensions.AUDIO_LEVEL, LEVEL, RtpExtensions.MID, 4);
  static final int VIDEO = 0x200;
  static final int AUDIO = 0x100;

  /** A worker whose tasks the test runs. */
  static final class Queue implements java.util.concurrent.Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }

    int runAll() {
      int n = 0;
      while (!tasks.isEmpty()) {
        tasks.poll().run();
        n++;
      }
      return n;
    }
  }

  final AtomicLong clock = new AtomicLong();
  final Queue workerA = new Queue();
  final Queue workerB = new Queue();
  final List<List<Speaker>> speakersB = new ArrayList<>();
  final Room shardA = room("r", null);
  final Room shardB =
      room(
          "r",
          new RoomListener() {
            @Override
            public void onSpeakersChanged(List<Speaker> speakers) {
              speakersB.add(speakers);
            }
          });
  final RecordingSink pubSink = new RecordingSink();
  final Participant publisher = shardA.addParticipant("alice", pubSink, pubSink, 2_000_000);
  final PublishedTrack video =
      shardA.publish(
          publisher,
          "cam",
          new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 96, -1, VIDEO, 0, EXT, "1"),
          TrackSource.CAMERA);
  final PublishedTrack audio =
      shardA.publish(
          publisher,
          "mic",
          new TrackInfo(TrackKind.AUDIO, "opus", 48_000, 111, -1, AUDIO, 0, EXT, "0"),
          TrackSource.MICROPHONE);
  final RecordingSink subSink = new RecordingSink();
  final Participant bob = shardB.addParticipant("bob", subSink, subSink, 2_000_000);
  ExecutorService threadA;
  ExecutorService threadB;

  static Room room(String id, RoomListener listener) {
    return new Room(
        id,
        listener == null ? new RoomListener() {} : listener,
        new WorkerContext(new DropCounters(), new ForwardDrops(), Streams.scratch()));
  }

  @AfterEach
  void stopThreads() {
    if (threadA != null) {
      threadA.shutdownNow();
      threadB.shutdownNow();
    }
  }

  DownTrack pipeAndSubscribe(PublishedTrack t, TrackInfo out) {
    TrackPipe pipe = TrackPipe.open(t, workerA, shardB, workerB, clock::get);
    workerB.runAll();
    workerA.runAll();
    assertThat(pipe.mirror()).isNotNull();
    return shardB.subscribe(bob, pipe.mirror(), out, clock.get());
  }

  void videoPacket(int seq, String payload) {
    byte[] b = RtpBuilder.rtp(96, seq, seq * 3000, VIDEO).payload(payload).build();
    publisher.onRtp(b, 0, b.length, clock.get());
  }

  @Test
  void theMirrorsSubscriberGetsTheStreamInItsOwnNumbering() {
    DownTrack d = pipeAndSubscribe(video, Streams.subscriberVideo(0x5000, 0));
    videoPacket(10, Streams.VP8_KEY);
    videoPacket(11, Streams.VP8_DELTA);
    assertThat(subSink.rtp).as("nothing until the target worker drains").isEmpty();
    assertThat(workerB.runAll()).as("one drain for the batch").isEqualTo(1);
    assertThat(subSink.rtp).hasSize(2);
    assertThat(subSink.rtp(0).ssrc()).isEqualTo(0x5000);
    assertThat(subSink.rtp(1).sequenceNumber()).isEqualTo(subSink.rtp(0).sequenceNumber() + 1);
    assertThat(d.packetsSent()).isEqualTo(2);
    assertThat(shardB.participant("alice")).as("the relay stands for the publisher").isNotNull();
  }

  @Test
  void aMirrorsKeyframeRequestReachesThePublisher() {
    pipeAndSubscribe(video, Streams.subscriberVideo(0x5000, 0));
    videoPacket(10, Streams.VP8_DELTA);
    workerB.runAll(); // the mirror's down track waits for a keyframe: it asks
    pubSink.clear();
    clock.addAndGet(400 * MS);
    workerA.runAll();
    List<RtcpPacket> up = pubSink.rtcpPackets();
    assertThat(up).contains(new PictureLossIndication(publisherRtcpSsrc(up), VIDEO));
  }

  private static int publisherRtcpSsrc(List<RtcpPacket> up) {
    return up.stream()
        .filter(p -> p instanceof PictureLossIndication)
        .map(p -> ((PictureLossIndication) p).senderSsrc())
        .findFirst()
        .orElse(0);
  }

  /** Packets refused by a full pipe are NACKed by the mirror and resent from the history. */
  @Test
  void packetsRefusedByAFullPipeAreRecoveredFromTheSourceHistory() {
    pipeAndSubscribe(video, Streams.subscriberVideo(0x5000, 0));
    int n = TrackPipe.CAPACITY + 5;
    videoPacket(1, Streams.VP8_KEY);
    for (int seq = 2; seq <= n; seq++) {
      videoPacket(seq, Streams.VP8_DELTA);
    }
    workerB.runAll();
    assertThat(subSink.rtp).hasSize(TrackPipe.CAPACITY);
    videoPacket(n + 1, Streams.VP8_DELTA); // shows the mirror the gap
    workerB.runAll();
    for (int i = 0; i < 10; i++) { // the mirror's NACK timing
      clock.addAndGet(20 * MS);
      shardB.tick(clock.get());
      workerA.runAll();
      workerB.runAll();
    }
    assertThat(subSink.rtp.size()).isEqualTo(n + 1);
    List<Integer> seqs = new ArrayList<>();
    for (int i = 0; i < subSink.rtp.size(); i++) {
      seqs.add(subSink.rtp(i).sequenceNumber());
    }
    assertThat(seqs).doesNotHaveDuplicates();
  }

  @Test
  void mirroredAudioLevelsDriveTheTargetShardsSpeakers() {
    pipeAndSubscribe(audio, Streams.subscriberAudio(0x6000));
    for (int k = 1; k <= 60; k++) {
      byte[] b =
          RtpBuilder.rtp(111, k, k * 960, AUDIO)
              .ext(LEVEL, new byte[] {(byte) (0x80 | 20)})
              .payload(Streams.OPUS)
              .build();
      publisher.onRtp(b, 0, b.length, clock.get());
      workerB.runAll();
      shardB.tick(clock.get());
      clock.addAndGet(20 * MS);
    }
    assertThat(speakersB).isNotEmpty();
    assertThat(speakersB.getLast()).extracting(Speaker::participantId).containsExactly("alice");
  }

  @Test
  void closingRemovesTheMirrorAndTheRelay() {
    DownTrack d = pipeAndSubscribe(video, Streams.subscriberVideo(0x5000, 0));
    TrackPipe pipe = TrackPipe.open(audio, workerA, shardB, workerB, clock::get);
    workerB.runAll();
    workerA.runAll();
    pipe.close();
    workerA.runAll();
    workerB.runAll();
    assertThat(audio.pipeCount()).isZero();
    assertThat(shardB.participant("alice")).as("still relays the camera").isNotNull();
    shardB.unpublish(d.source());
    assertThat(bob.subscriber().downTracksList()).isEmpty();
  }

  /** Two real worker threads: everything offered arrives, in order, or was counted refused. */
  @Test
  void twoThreadsDeliverInOrder() throws Exception {
    threadA = Executors.newSingleThreadExecutor();
    threadB = Executors.newSingleThreadExecutor();
    TrackPipe pipe = TrackPipe.open(video, threadA, shardB, threadB, System::nanoTime);
    threadB.submit(() -> {}).get();
    threadA.submit(() -> {}).get();
    threadB
        .submit(() -> shardB.subscribe(bob, pipe.mirror(), Streams.subscriberVideo(0x5000, 0), 0))
        .get();
    int total = 20_000;
    threadA
        .submit(
            () -> {
              for (int seq = 1; seq <= total; seq++) {
                byte[] b =
                    RtpBuilder.rtp(96, seq, seq * 3000, VIDEO)
                        .payload(seq == 1 ? Streams.VP8_KEY : Streams.VP8_DELTA)
                        .build();
                publisher.onRtp(b, 0, b.length, System.nanoTime());
                if (seq % 256 == 0) {
                  Thread.onSpinWait();
                }
              }
            })
        .get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long received;
    do {
      received = threadB.submit(() -> (long) subSink.rtp.size()).get();
    } while (received + pipe.refused() < total && System.nanoTime() < deadline);
    assertThat(received + pipe.refused()).isEqualTo(total);
    List<Integer> seqs =
        threadB
            .submit(
                () -> {
                  List<Integer> s = new ArrayList<>();
                  for (int i = 0; i < subSink.rtp.size(); i++) {
                    s.add(subSink.rtp(i).sequenceNumber());
                  }
                  return s;
                })
            .get();
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
  }
}
