package eu.visio.sfu;

import eu.visio.media.rtcp.RtcpCompound;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.RtcpParseException;
import eu.visio.media.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A transport that records the plaintext packets the SFU hands it (a real one encrypts next). In
 * the test jar, for other modules' tests of a real SFU room.
 */
public final class RecordingSink implements RtpSink {
  public final List<byte[]> rtp = new ArrayList<>();
  public final List<byte[]> rtcp = new ArrayList<>();

  @Override
  public boolean sendRtp(byte[] buf, int off, int len) {
    rtp.add(Arrays.copyOfRange(buf, off, off + len));
    return true;
  }

  @Override
  public boolean sendRtcp(byte[] buf, int off, int len) {
    rtcp.add(Arrays.copyOfRange(buf, off, off + len));
    return true;
  }

  /** The i-th RTP packet sent, wrapped in a fresh view (fails the test if it is not valid RTP). */
  public RtpPacket rtp(int i) {
    RtpPacket p = new RtpPacket();
    byte[] b = rtp.get(i);
    if (!p.wrap(b, 0, b.length)) {
      throw new AssertionError("sent RTP packet " + i + " does not parse");
    }
    return p;
  }

  public RtpPacket lastRtp() {
    return rtp(rtp.size() - 1);
  }

  /** Every RTCP packet sent, each compound decoded in order. */
  public List<RtcpPacket> rtcpPackets() {
    List<RtcpPacket> all = new ArrayList<>();
    for (byte[] b : rtcp) {
      try {
        all.addAll(RtcpCompound.parse(b, 0, b.length));
      } catch (RtcpParseException e) {
        throw new AssertionError("sent RTCP does not parse", e);
      }
    }
    return all;
  }

  public void clear() {
    rtp.clear();
    rtcp.clear();
  }
}
