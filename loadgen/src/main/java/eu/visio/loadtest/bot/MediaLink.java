package eu.visio.loadtest.bot;

/**
 * How a bot's packets reach the server: with WebRTC's transport (ICE, DTLS, SRTP) or as plain RTP
 * for the bare relay. Called on the bot's loop thread only.
 */
interface MediaLink {
  /** Whether media can flow (ICE nominated and DTLS keyed, or the relay acknowledged us). */
  boolean ready();

  /** Protects in place if needed and sends the plain RTP packet {@code b[0..len)}. */
  void sendRtp(byte[] b, int len);

  /** Protects in place if needed and sends the plain RTCP compound {@code b[0..len)}. */
  void sendRtcp(byte[] b, int len);

  /** One datagram from the server; media goes on to the bot once decrypted. */
  void onDatagram(byte[] b, int len, long now);

  /** Connectivity upkeep (checks, consent, hellos); returns when to be called next. */
  long tick(long now);

  /** Releases what the link holds (the DTLS association). */
  void close();
}
