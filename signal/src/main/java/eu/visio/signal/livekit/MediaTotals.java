package eu.visio.signal.livekit;

/**
 * Media counts over the participants in LiveKit rooms now, for the metrics (gauges: a participant
 * that leaves takes its counts with it): NACKs and keyframe requests sent to publishers,
 * retransmissions served to subscribers, and the sum of subscribers' downlink estimates.
 *
 * @param nacksSent NACKs sent to publishers for lost packets
 * @param keyframeRequests PLI or FIR sent to publishers
 * @param keyframesReceived keyframes publishers sent
 * @param retransmissions RTX packets sent to subscribers answering their NACKs
 * @param downlinkEstimateBps the subscribers' bandwidth estimates now, summed
 */
public record MediaTotals(
    long nacksSent,
    long keyframeRequests,
    long keyframesReceived,
    long retransmissions,
    long downlinkEstimateBps) {
  static final MediaTotals ZERO = new MediaTotals(0, 0, 0, 0, 0);

  MediaTotals plus(MediaTotals o) {
    return new MediaTotals(
        nacksSent + o.nacksSent,
        keyframeRequests + o.keyframeRequests,
        keyframesReceived + o.keyframesReceived,
        retransmissions + o.retransmissions,
        downlinkEstimateBps + o.downlinkEstimateBps);
  }

  /** What one SFU participant counted so far. */
  static MediaTotals of(eu.visio.sfu.Participant p) {
    long nacks = 0;
    long requests = 0;
    long keyframes = 0;
    for (eu.visio.sfu.PublishedTrack t : p.publisher().tracks()) {
      eu.visio.sfu.ReceiveCounters c = t.counters();
      nacks += c.nacksSent();
      requests += c.keyframeRequests();
      keyframes += c.keyframes();
    }
    long rtx = 0;
    for (eu.visio.sfu.DownTrack d : p.subscriber().downTracksList()) {
      rtx += d.retransmissionsSent();
    }
    return new MediaTotals(nacks, requests, keyframes, rtx, p.subscriber().bandwidthEstimate());
  }
}
