package eu.visio.loadtest.bot;

/** Where a bot writes the packets it sends: one reused buffer, then protected and sent. */
interface PacketOut {
  /** The buffer to write a plain packet into, from index 0, with room for SRTP's overhead. */
  byte[] buffer();

  /** Protects (if the link does) and sends the RTP packet in {@code buffer()[0..len)}. */
  void sendRtp(int len);

  /** Protects (if the link does) and sends the RTCP compound in {@code buffer()[0..len)}. */
  void sendRtcp(int len);
}
