package eu.visio.loadtest.bot;

/**
 * What bots received during the measurement window.
 *
 * @param expectedPackets media packets the server's sequence numbers say were sent to them
 * @param receivedPackets of those, the ones that arrived (once each)
 * @param rtpPackets every RTP datagram from the server: media, retransmissions, padding
 * @param rtpBytes their UDP payload bytes (SRTP included)
 * @param delays one-way delay of the media packets that arrived first time
 */
public record WindowTotals(
    long expectedPackets,
    long receivedPackets,
    long rtpPackets,
    long rtpBytes,
    DelayHistogram delays) {

  public WindowTotals plus(WindowTotals o) {
    DelayHistogram h = new DelayHistogram();
    h.addAll(delays);
    h.addAll(o.delays);
    return new WindowTotals(
        expectedPackets + o.expectedPackets,
        receivedPackets + o.receivedPackets,
        rtpPackets + o.rtpPackets,
        rtpBytes + o.rtpBytes,
        h);
  }
}
