package eu.visio.signal.livekit;

import eu.visio.media.ice.IceCredentials;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.sdp.AnswerPolicy;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.SdpAnswerer;
import eu.visio.media.sdp.SdpParseException;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.transport.WebRtcTransport;
import eu.visio.signal.rtc.MediaNegotiation;
import eu.visio.signal.rtc.RtcMedia;

/**
 * One peer connection of a participant, where the client offers and we answer (LiveKit's single
 * peer connection, or the publisher one of two): the transport is created by the first answer and
 * kept through every renegotiation; an offer with new ICE credentials restarts ICE on it (a resumed
 * session after a network change). Confined to the room's worker.
 */
final class PeerSession extends PeerConnection {
  private boolean started;

  PeerSession(String id, RtcMedia media, MediaWorker worker, WebRtcTransport.Listener listener) {
    super(id, media, worker, listener);
  }

  /**
   * Answers an offer. The first one creates the transport (started by {@link #start} once the
   * answer is on its way); later ones keep it, and restart ICE when the offer's credentials
   * changed.
   */
  SdpAnswer answer(SessionDescription offer, AnswerPolicy policy) throws SignalException {
    SdpAnswer answer = answerWith(offer, policy);
    String ufrag = answer.remote().iceUfrag();
    if (transport == null) {
      createTransport(answer);
    } else if (!ufrag.equals(remoteUfrag)) {
      // RFC 8839 §4.4.1.1.1: new credentials on both sides.
      IceCredentials fresh = IceCredentials.generate();
      restartTransportIce(fresh, ufrag);
      ice = fresh;
      remoteUfrag = ufrag;
      answer = answerWith(offer, policy);
    }
    return answer;
  }

  private SdpAnswer answerWith(SessionDescription offer, AnswerPolicy policy)
      throws SignalException {
    try {
      return SdpAnswerer.answer(
          offer,
          MediaNegotiation.localParams(ice, media.certificate(), media.candidates()),
          policy);
    } catch (SdpParseException e) {
      throw new SignalException("bad SDP offer: " + e.getMessage());
    }
  }

  /** Starts the transport's DTLS once our first answer is sent. */
  void start() {
    if (transport != null && !started) {
      started = true;
      transport.start();
    }
  }
}
