package eu.visio.loadtest.bot;

import java.util.List;

/**
 * What a publishing bot sends.
 *
 * @param audio an Opus-sized audio track at 50 packets per second
 * @param video a VP8 simulcast track
 * @param layerBitrates target bitrate of each simulcast layer, low to high, in bit/s
 * @param audioPayloadBytes RTP payload of one 20 ms audio packet
 * @param keyframeIntervalFrames a keyframe every this many frames (30 fps), besides requested ones
 * @param maxPacketBytes largest RTP packet before SRTP (header, extensions and payload)
 */
public record MediaConfig(
    boolean audio,
    boolean video,
    List<Integer> layerBitrates,
    int audioPayloadBytes,
    int keyframeIntervalFrames,
    int maxPacketBytes) {
  public static final List<Integer> DEFAULT_LAYERS = List.of(150_000, 500_000, 1_700_000);

  /** Layer sizes, as LiveKit's publishers send them: 320x180, 640x360, 1280x720. */
  static final int[] WIDTHS = {320, 640, 1280};

  static final int[] HEIGHTS = {180, 360, 720};

  static final String[] RIDS = {"q", "h", "f"};

  public MediaConfig {
    layerBitrates = List.copyOf(layerBitrates);
    if (video && (layerBitrates.isEmpty() || layerBitrates.size() > 3)) {
      throw new IllegalArgumentException("1 to 3 simulcast layers");
    }
    if (audioPayloadBytes < Stamp.LENGTH || maxPacketBytes < 200) {
      throw new IllegalArgumentException("packets too small");
    }
  }

  /** Audio and three-layer video at the default rates, a keyframe every 3 s, 1,200-byte packets. */
  public static MediaConfig audioVideo() {
    return new MediaConfig(true, true, DEFAULT_LAYERS, 80, 90, 1200);
  }

  public static MediaConfig audioOnly() {
    return new MediaConfig(true, false, List.of(), 80, 90, 1200);
  }

  public int layers() {
    return video ? layerBitrates.size() : 0;
  }
}
