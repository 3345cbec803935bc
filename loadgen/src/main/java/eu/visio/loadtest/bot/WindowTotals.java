package eu.visio.loadtest.bot;

/**
 * What bots received during the measurement window.
 *
 * @param expectedPackets media packets the server's sequence numbers say were sent to them
 * @param receivedPackets of those, the ones that arrived (once each)
 * @param rtpPackets every RTP datagram from the server: media, retransmissions, padding
 * @param rtpBytes their UDP payload bytes (SRTP included)
 * @param layerPackets media packets received by video layer (low, medium, high) and audio
 * @param delays one-way delay of the media packets that arrived first time
 * @param video what each subscriber received of each publisher's video, per stream
 */
public record WindowTotals(
    long expectedPackets,
    long receivedPackets,
    long rtpPackets,
    long rtpBytes,
    long[] layerPackets,
    DelayHistogram delays,
    java.util.List<VideoWindow> video) {

  public WindowTotals {
    video = java.util.List.copyOf(video);
  }

  public WindowTotals plus(WindowTotals o) {
    DelayHistogram h = new DelayHistogram();
    h.addAll(delays);
    h.addAll(o.delays);
    return new WindowTotals(
        expectedPackets + o.expectedPackets,
        receivedPackets + o.receivedPackets,
        rtpPackets + o.rtpPackets,
        rtpBytes + o.rtpBytes,
        new long[] {
          layerPackets[0] + o.layerPackets[0],
          layerPackets[1] + o.layerPackets[1],
          layerPackets[2] + o.layerPackets[2],
          layerPackets[3] + o.layerPackets[3]
        },
        h,
        java.util.stream.Stream.concat(video.stream(), o.video.stream()).toList());
  }
}
