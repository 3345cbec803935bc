package eu.visio.loadtest.bot;

/**
 * What one subscriber received of one publisher's video in the measurement window.
 *
 * @param subscriber the receiving bot's name
 * @param publisher the publisher's index, from the stamps
 * @param layerPackets first arrivals by simulcast layer (low, medium, high), not retransmissions
 * @param frames frames whose last packet (RTP marker) arrived, first time or repaired
 * @param keyframes keyframes whose first packet arrived, first time or repaired
 */
public record VideoWindow(
    String subscriber, int publisher, long[] layerPackets, long frames, long keyframes) {

  public VideoWindow {
    if (layerPackets.length != 3) {
      throw new IllegalArgumentException("three layers");
    }
    layerPackets = layerPackets.clone();
  }

  /** Media packets of every layer. */
  public long packets() {
    return layerPackets[0] + layerPackets[1] + layerPackets[2];
  }

  @Override
  public long[] layerPackets() {
    return layerPackets.clone();
  }

  /** This window and {@code o} (the same subscription over two streams) together. */
  public VideoWindow plus(VideoWindow o) {
    return new VideoWindow(
        subscriber,
        publisher,
        new long[] {
          layerPackets[0] + o.layerPackets[0],
          layerPackets[1] + o.layerPackets[1],
          layerPackets[2] + o.layerPackets[2]
        },
        frames + o.frames,
        keyframes + o.keyframes);
  }
}
