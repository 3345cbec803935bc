/**
 * Session Description Protocol (RFC 8866) as WebRTC uses it: a model, a strict parser and a writer,
 * plus JSEP (RFC 8829) offer/answer for unified plan with BUNDLE (RFC 8843), simulcast (RFC 8851,
 * RFC 8853) and data channels (RFC 8841).
 *
 * <p>Entry points: {@link eu.visio.media.sdp.SessionDescription#parse(String)} and {@link
 * eu.visio.media.sdp.SessionDescription#write()}; {@link eu.visio.media.sdp.SdpAnswerer#answer} for
 * WHIP/WHEP answers, which also returns a {@link eu.visio.media.sdp.NegotiatedMedia} summary per
 * mid for the SFU; {@link eu.visio.media.sdp.SdpOfferer#offer} when the server offers.
 *
 * <p>Hand-written because no maintained Java library covers SDP for WebRTC (the JAIN/javax.sdp
 * implementations predate unified plan, BUNDLE and simulcast, and are unmaintained).
 */
package eu.visio.media.sdp;
