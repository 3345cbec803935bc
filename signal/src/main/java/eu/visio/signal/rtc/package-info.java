/**
 * What every WebRTC signalling front end of the SFU shares (WHIP/WHEP and LiveKit): turning an SDP
 * negotiation into the SFU's {@code TrackInfo}, our transport parameters, the remote fingerprint,
 * and calls onto a media worker's thread.
 */
package eu.visio.signal.rtc;
