package eu.visio.media.rtcp;

import java.util.HexFormat;

/** Annotated RTCP byte fixtures shared by the tests. */
final class RtcpFixtures {
  private RtcpFixtures() {}

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  static String hex(byte[] b, int off, int len) {
    return HexFormat.of().formatHex(b, off, off + len);
  }

  /**
   * A compound from a Firefox packet dump (the shape pion's packet tests use): RR, SDES CNAME, BYE,
   * PLI and a Rapid Resynchronisation Request (RTPFB FMT=5, which we keep opaque).
   */
  static final String FIREFOX_COMPOUND =
      // RR: V=2 RC=1 PT=201 length=7
      "81c90007"
          + "902f9e2e" // reporter SSRC
          + "bc5e9a40" // report block: source
          + "00000000" // fraction lost 0, cumulative lost 0
          + "000046e1" // extended highest seq 0x46e1
          + "00000111" // jitter 273
          + "09f36432" // LSR
          + "00024a79" // DLSR 150137/65536 s
          // SDES: SC=1 PT=202 length=12
          + "81ca000c"
          + "902f9e2e"
          + "0126" // CNAME, 38 bytes
          + "7b39633030656239322d316166622d396434392d613437642d393166363465656536396635"
          + "7d" // "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}"
          + "00000000" // END + pad to 32 bits
          // BYE: SC=1 PT=203 length=1
          + "81cb0001"
          + "902f9e2e"
          // PLI: FMT=1 PT=206 length=2
          + "81ce0002"
          + "902f9e2e" // sender
          + "902f9e2e" // media source
          // RRR: FMT=5 PT=205 length=2 (RFC 6051), not decoded
          + "85cd0002"
          + "902f9e2e"
          + "902f9e2e";

  /** Sender report with one block whose cumulative loss is negative (duplicates). */
  static final String SENDER_REPORT =
      "81c8000c" // RC=1 PT=200 length=12 (52 bytes)
          + "902f9e2e" // SSRC
          + "da8bd1fc"
          + "dddda05a" // NTP timestamp
          + "aaf4edd5" // RTP timestamp
          + "0000a0b1" // packet count
          + "00c0ffee" // octet count
          + "bc5e9a40" // block: source
          + "10" // fraction lost 16/256
          + "fffffe" // cumulative lost -2
          + "000146e1" // cycles 1, highest seq 0x46e1
          + "00000111" // jitter
          + "09f36432" // LSR
          + "00024a79"; // DLSR

  /** Reduced-size TWCC feedback, pion/rtcp example 1: one packet received after 37 ms. */
  static final String TWCC_EXAMPLE_1 =
      "afcd0005" // P=1 FMT=15 PT=205 length=5
          + "fa17fa17" // sender SSRC
          + "43032fa0" // media SSRC
          + "0099" // base seq 153
          + "0001" // status count 1
          + "3de802" // reference time 4057090 x 64 ms
          + "17" // fb pkt count 23
          + "2001" // run-length: symbol 1 (small delta), run 1
          + "94" // delta 148 x 250 us = 37 ms
          + "01"; // one byte of padding
}
