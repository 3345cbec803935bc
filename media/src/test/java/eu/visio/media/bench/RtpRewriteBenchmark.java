package eu.visio.media.bench;

import eu.visio.media.rtp.RtpPacket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The SFU's per-packet forwarding rewrite: wrap a 1,200-byte video packet carrying the usual
 * one-byte extensions (abs-send-time, transport-cc, mid), then rewrite SSRC, sequence number,
 * timestamp, payload type and the transport-wide sequence number in place. Must not allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpRewriteBenchmark {
  private static final int ABS_SEND_TIME = 2;
  private static final int TRANSPORT_CC = 3;
  private static final int MID = 4;

  private final byte[] buf = new byte[1200];
  private final RtpPacket packet = new RtpPacket();
  private int seq;

  @Setup
  public void setUp() {
    byte[] header = {
      (byte) 0x90,
      (byte) 0xE0,
      0x12,
      0x34, // V=2 X=1, M=1 PT=96, seq
      0x00,
      0x01,
      (byte) 0xE2,
      0x40, // timestamp
      (byte) 0xCA,
      (byte) 0xFE,
      (byte) 0xBA,
      (byte) 0xBE, // SSRC
      (byte) 0xBE,
      (byte) 0xDE,
      0x00,
      0x03, // one-byte extensions, 3 words
      (byte) (ABS_SEND_TIME << 4 | 2),
      0x12,
      0x34,
      0x56,
      (byte) (TRANSPORT_CC << 4 | 1),
      0x00,
      0x2A,
      (byte) (MID << 4),
      '0',
      0,
      0,
      0 // padding
    };
    System.arraycopy(header, 0, buf, 0, header.length);
    for (int i = header.length; i < buf.length; i++) {
      buf[i] = (byte) i;
    }
  }

  @Benchmark
  public int rewrite() {
    RtpPacket p = packet;
    if (!p.wrap(buf, 0, buf.length)) {
      return -1;
    }
    int s = seq++;
    p.setSsrc(0x11223344);
    p.setSequenceNumber(s);
    p.setTimestamp(p.timestamp() + 3000);
    p.setPayloadType(102);
    p.writeExtension(TRANSPORT_CC, s);
    return p.payloadLength();
  }
}
