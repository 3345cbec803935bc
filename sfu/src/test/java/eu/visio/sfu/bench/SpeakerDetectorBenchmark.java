package eu.visio.sfu.bench;

import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.audio.AudioLevel;
import eu.visio.sfu.audio.SpeakerDetector;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Active speaker detection in a 150-participant room: the per-packet path (read the RFC 6464 level,
 * account it) must not allocate; {@code tick} runs every 100-300 ms over all tracks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpeakerDetectorBenchmark {
  private static final int PARTICIPANTS = 150;
  private static final int AUDIO_LEVEL_ID = 1;
  private static final long FRAME = 20_000_000L;

  private final SpeakerDetector detector = new SpeakerDetector(PARTICIPANTS);
  private final RtpPacket packet = new RtpPacket();
  private final byte[] buf = new byte[120];
  private final int[] levels = new int[1024];
  private long now;
  private int i;

  @Setup
  public void setUp() {
    byte[] header = {
      (byte) 0x90,
      111,
      0x12,
      0x34,
      0,
      1,
      (byte) 0xE2,
      0x40,
      (byte) 0xCA,
      (byte) 0xFE,
      (byte) 0xBA,
      (byte) 0xBE,
      (byte) 0xBE,
      (byte) 0xDE,
      0,
      1,
      (byte) (AUDIO_LEVEL_ID << 4),
      (byte) 0x9E,
      0,
      0
    };
    System.arraycopy(header, 0, buf, 0, header.length);
    SplittableRandom random = new SplittableRandom(1);
    for (int k = 0; k < levels.length; k++) {
      levels[k] = random.nextInt(128);
    }
    for (int p = 0; p < PARTICIPANTS; p++) {
      detector.add();
    }
    detector.tick(0);
    // Warm the room: a few speakers, the rest noise, for 5 s.
    for (long t = FRAME; t <= 5_000_000_000L; t += FRAME) {
      for (int p = 0; p < PARTICIPANTS; p++) {
        detector.onAudioLevel(p, p < 4 ? 20 + p * 5 : 60 + p % 60, false, t);
      }
      if (t % 200_000_000L == 0) {
        detector.tick(t);
      }
    }
    now = 5_000_000_000L;
  }

  /** One audio packet: wrap, read the level, feed the detector. */
  @Benchmark
  public int onAudioPacket() {
    int k = i++;
    buf[17] = (byte) levels[k & 1023];
    if (!packet.wrap(buf, 0, 40)) {
      return -1;
    }
    int packed = AudioLevel.read(packet, AUDIO_LEVEL_ID);
    now += FRAME / PARTICIPANTS;
    detector.onAudioLevel(
        k % PARTICIPANTS, AudioLevel.level(packed), AudioLevel.voiceActivity(packed), now);
    return packed;
  }

  /** One 200 ms tick of the 150-track room, after a round of packets from everyone. */
  @Benchmark
  public int tick() {
    now += 200_000_000L;
    for (int p = 0; p < PARTICIPANTS; p++) {
      detector.onAudioLevel(p, p < 4 ? 20 + p * 5 : 60 + p % 60, false, now - FRAME);
    }
    return detector.tick(now);
  }
}
