package eu.visio.signal.livekit;

import eu.visio.media.ice.IceCredentials;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.sdp.MediaKind;
import eu.visio.media.sdp.OfferSection;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.SdpOfferer;
import eu.visio.media.sdp.SdpParseException;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.transport.WebRtcTransport;
import eu.visio.signal.rtc.MediaNegotiation;
import eu.visio.signal.rtc.RtcMedia;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer connection we offer (LiveKit's subscriber connection on {@code /rtc}): a data channel
 * m-line, then one m-line per receive slot. One offer is outstanding at a time; the client's answer
 * creates the transport the first time, and completes an ICE restart after a resumed session.
 * Confined to the room's worker.
 */
final class SubscriberPeer extends PeerConnection {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String sessionId = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE);
  private long version;
  private boolean restartIce;
  private SessionDescription outstanding;
  private List<OfferSection> outstandingSections = List.of();
  private int offerId;
  private long offeredAt;

  SubscriberPeer(String id, RtcMedia media, MediaWorker worker, WebRtcTransport.Listener listener) {
    super(id + "-sub", media, worker, listener);
  }

  /** An offer unanswered this long is taken as lost (a signalling reconnection): offer again. */
  static final long ANSWER_WAIT_NANOS = 10_000_000_000L;

  /** Whether an offer waits for its answer. */
  boolean offering() {
    return outstanding != null && System.nanoTime() - offeredAt < ANSWER_WAIT_NANOS;
  }

  /** Our next offer, over {@code sections} after the data channel; returns its id. */
  int offer(List<OfferSection> sections, StringBuilder sdp) {
    List<OfferSection> all = new ArrayList<>();
    all.add(new OfferSection("0", MediaKind.APPLICATION, null));
    all.addAll(sections);
    outstandingSections = all;
    offeredAt = System.nanoTime();
    outstanding =
        SdpOfferer.offer(
            MediaNegotiation.localParams(ice, media.certificate(), media.candidates()),
            all,
            sessionId,
            ++version);
    sdp.append(outstanding.write());
    return ++offerId;
  }

  /** New ICE credentials in the next offer (the session resumed after a network change). */
  void restartIce() {
    ice = IceCredentials.generate();
    restartIce = true;
  }

  /**
   * The client's answer to our outstanding offer {@code answerId}; null when it answers an older
   * offer (ignored).
   */
  SdpAnswer accept(String answerSdp, int answerId) throws SignalException {
    if (outstanding == null || answerId != offerId) {
      return null;
    }
    SdpAnswer answer;
    try {
      answer =
          SdpOfferer.accept(outstanding, outstandingSections, SessionDescription.parse(answerSdp));
    } catch (SdpParseException e) {
      throw new SignalException("bad SDP answer: " + e.getMessage());
    }
    outstanding = null;
    String ufrag = answer.remote().iceUfrag();
    if (transport == null) {
      createTransport(answer);
      transport.start();
    } else if (restartIce || !ufrag.equals(remoteUfrag)) {
      restartTransportIce(ice, ufrag);
      remoteUfrag = ufrag;
      restartIce = false;
    }
    return answer;
  }
}
