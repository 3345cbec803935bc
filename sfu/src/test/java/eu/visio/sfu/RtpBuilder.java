package eu.visio.sfu;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds RTP packets byte by byte (RFC 3550 §5.1, RFC 8285 extensions) for synthetic streams. */
final class RtpBuilder {
  private int payloadType;
  private int sequence;
  private int timestamp;
  private int ssrc;
  private boolean marker;
  private boolean twoByte;
  private byte[] payload = new byte[0];
  private int padding;
  private final List<int[]> extIds = new ArrayList<>();
  private final List<byte[]> extValues = new ArrayList<>();

  static RtpBuilder rtp(int payloadType, int sequence, int timestamp, int ssrc) {
    RtpBuilder b = new RtpBuilder();
    b.payloadType = payloadType;
    b.sequence = sequence;
    b.timestamp = timestamp;
    b.ssrc = ssrc;
    return b;
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", "").replace("|", ""));
  }

  RtpBuilder marker() {
    marker = true;
    return this;
  }

  RtpBuilder payload(byte[] p) {
    payload = p.clone();
    return this;
  }

  RtpBuilder payload(String hex) {
    return payload(hex(hex));
  }

  /** RFC 3550 padding: {@code n} bytes, the last one holding {@code n}. */
  RtpBuilder padding(int n) {
    padding = n;
    return this;
  }

  /** Uses the RFC 8285 two-byte form (profile 0x1000) instead of the one-byte form (0xBEDE). */
  RtpBuilder twoByte() {
    twoByte = true;
    return this;
  }

  RtpBuilder ext(int id, byte[] value) {
    extIds.add(new int[] {id});
    extValues.add(value.clone());
    return this;
  }

  RtpBuilder ext(int id, String hexValue) {
    return ext(id, hex(hexValue));
  }

  byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean x = !extIds.isEmpty();
    out.write(0x80 | (padding > 0 ? 0x20 : 0) | (x ? 0x10 : 0));
    out.write((marker ? 0x80 : 0) | (payloadType & 0x7F));
    out.write(sequence >>> 8);
    out.write(sequence);
    write32(out, timestamp);
    write32(out, ssrc);
    if (x) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      for (int i = 0; i < extIds.size(); i++) {
        int id = extIds.get(i)[0];
        byte[] v = extValues.get(i);
        if (twoByte) {
          block.write(id);
          block.write(v.length);
        } else {
          block.write((id << 4) | (v.length - 1));
        }
        block.writeBytes(v);
      }
      while (block.size() % 4 != 0) {
        block.write(0);
      }
      int profile = twoByte ? 0x1000 : 0xBEDE;
      out.write(profile >>> 8);
      out.write(profile);
      out.write(block.size() / 4 >>> 8);
      out.write(block.size() / 4);
      out.writeBytes(block.toByteArray());
    }
    out.writeBytes(payload);
    for (int i = 1; i < padding; i++) {
      out.write(0);
    }
    if (padding > 0) {
      out.write(padding);
    }
    return out.toByteArray();
  }

  private static void write32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
