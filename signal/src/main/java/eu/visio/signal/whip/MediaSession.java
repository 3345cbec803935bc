package eu.visio.signal.whip;

import eu.visio.media.transport.WebRtcTransport;

/** One WHIP publisher or WHEP viewer: its transport and how to tear its SFU side down. */
final class MediaSession {
  final String id;
  final SessionKind kind;
  final String stream;
  WebRtcTransport transport;
  volatile String remoteUfrag;
  Runnable onClose = () -> {};

  MediaSession(String id, SessionKind kind, String stream) {
    this.id = id;
    this.kind = kind;
    this.stream = stream;
  }
}
