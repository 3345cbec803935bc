package eu.visio.loadtest.bot;

import eu.visio.loadtest.relay.RelayHello;
import eu.visio.media.rtp.RtpPacket;

/**
 * Plain RTP to the bare relay: no ICE, DTLS or SRTP. The bot says hello (who it is, what it wants)
 * until the relay echoes it, then sends and receives packets as they are.
 */
final class PlainLink implements MediaLink {
  private static final long HELLO_INTERVAL_NANOS = 50_000_000L;

  private final Leg leg;
  private final Bot bot;
  private final byte[] hello;
  private boolean acknowledged;
  private long nextHello;

  PlainLink(Leg leg, int publisher, boolean subscribes, int layer) {
    this.leg = leg;
    this.bot = leg.bot();
    this.hello = RelayHello.request(publisher, subscribes, layer);
  }

  @Override
  public boolean ready() {
    return acknowledged;
  }

  @Override
  public long tick(long now) {
    if (acknowledged) {
      return Long.MAX_VALUE;
    }
    if (now >= nextHello) {
      leg.sendDatagram(hello, hello.length);
      nextHello = now + HELLO_INTERVAL_NANOS;
    }
    return nextHello;
  }

  @Override
  public void onDatagram(byte[] b, int len, long now) {
    if (RelayHello.isAck(b, len)) {
      if (!acknowledged) {
        acknowledged = true;
        leg.linked();
      }
    } else if (RtpPacket.isRtpOrRtcp(b[0])) {
      if (RtpPacket.isRtcp(b, 0, len)) {
        bot.onRtcp(b, 0, len, now);
      } else {
        bot.onRtp(b, 0, len, now);
      }
    }
  }

  @Override
  public void sendRtp(byte[] b, int len) {
    leg.sendDatagram(b, len);
  }

  @Override
  public void sendRtcp(byte[] b, int len) {
    // Nobody at the relay reads feedback; a bare relay sends none either.
  }

  @Override
  public void close() {}
}
