package eu.visio.signal.livekit;

/**
 * Media counts over the participants in LiveKit rooms now, for the metrics (gauges: a participant
 * that leaves takes its counts with it): NACKs and keyframe requests sent to publishers,
 * retransmissions served to subscribers, what became of the packets subscribers NACKed, and the sum
 * of subscribers' downlink estimates.
 *
 * @param nacksSent NACKs sent to publishers for lost packets
 * @param keyframeRequests PLI or FIR sent to publishers
 * @param keyframesReceived keyframes publishers sent
 * @param retransmissions packets resent to subscribers (as RTX, or plainly when they did not
 *     negotiate it): their NACKs answered from the history, and losses the publisher repaired
 * @param nackedResent packet numbers subscribers NACKed that were resent from the history
 * @param nackedNotInHistory NACKed numbers not in the history: lost between the publisher and us
 *     and not (yet) repaired by its RTX, or evicted
 * @param nackedRateLimited NACKed numbers already resent less than a round trip ago
 * @param nackedUnmapped NACKed numbers the subscriber never got from the current source
 * @param downlinkEstimateBps the subscribers' bandwidth estimates now, summed
 */
public record MediaTotals(
    long nacksSent,
    long keyframeRequests,
    long keyframesReceived,
    long retransmissions,
    long nackedResent,
    long nackedNotInHistory,
    long nackedRateLimited,
    long nackedUnmapped,
    long downlinkEstimateBps) {
  static final MediaTotals ZERO = new MediaTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

  MediaTotals plus(MediaTotals o) {
    return new MediaTotals(
        nacksSent + o.nacksSent,
        keyframeRequests + o.keyframeRequests,
        keyframesReceived + o.keyframesReceived,
        retransmissions + o.retransmissions,
        nackedResent + o.nackedResent,
        nackedNotInHistory + o.nackedNotInHistory,
        nackedRateLimited + o.nackedRateLimited,
        nackedUnmapped + o.nackedUnmapped,
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
    long resent = 0;
    long notInHistory = 0;
    long rateLimited = 0;
    long unmapped = 0;
    for (eu.visio.sfu.DownTrack d : p.subscriber().downTracksList()) {
      rtx += d.retransmissionsSent();
      resent += d.nacksServed();
      notInHistory += d.nacksMissingFromHistory();
      rateLimited += d.nacksRateLimited();
      unmapped += d.nacksUnmapped();
    }
    return new MediaTotals(
        nacks,
        requests,
        keyframes,
        rtx,
        resent,
        notInHistory,
        rateLimited,
        unmapped,
        p.subscriber().bandwidthEstimate());
  }
}
