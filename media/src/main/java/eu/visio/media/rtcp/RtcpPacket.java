package eu.visio.media.rtcp;

import java.util.Objects;

/**
 * One decoded RTCP packet that can serialize itself. {@link #write} writes exactly {@link
 * #length()} bytes (header included, a multiple of 4) and returns that count; the caller provides
 * the room.
 */
public sealed interface RtcpPacket
    permits SenderReport,
        ReceiverReport,
        SourceDescription,
        Goodbye,
        ApplicationDefined,
        PictureLossIndication,
        FullIntraRequest,
        GenericNack,
        ReceiverEstimatedMaxBitrate,
        TransportCcFeedback,
        UnknownRtcpPacket {

  /** Bytes {@link #write} produces. */
  int length();

  /** Writes this packet at {@code buf[off]} and returns {@link #length()}. */
  int write(byte[] buf, int off);

  /**
   * Decodes the single packet at {@code buf[off, off+len)}: its header must say version 2 and a
   * length of exactly {@code len} (as {@link RtcpCompoundIterator#next()} guarantees). Bounds
   * outside the array are a caller bug (IndexOutOfBoundsException); bad bytes are a parse error.
   */
  static RtcpPacket parse(byte[] buf, int off, int len) throws RtcpParseException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < RtcpHeader.LENGTH
        || (buf[off] & 0xC0) != 0x80
        || (ByteIo.u16(buf, off + 2) + 1) * 4 != len) {
      throw new RtcpParseException("bad RTCP header");
    }
    int pt = RtcpHeader.packetType(buf, off);
    int fmt = RtcpHeader.count(buf, off);
    return switch (pt) {
      case RtcpHeader.SR -> SenderReport.parse(buf, off, len);
      case RtcpHeader.RR -> ReceiverReport.parse(buf, off, len);
      case RtcpHeader.SDES -> SourceDescription.parse(buf, off, len);
      case RtcpHeader.BYE -> Goodbye.parse(buf, off, len);
      case RtcpHeader.APP -> ApplicationDefined.parse(buf, off, len);
      case RtcpHeader.RTPFB ->
          switch (fmt) {
            case RtcpHeader.FMT_NACK -> GenericNack.parse(buf, off, len);
            case RtcpHeader.FMT_TWCC -> TransportCcFeedback.parse(buf, off, len);
            default -> UnknownRtcpPacket.parse(buf, off, len);
          };
      case RtcpHeader.PSFB ->
          switch (fmt) {
            case RtcpHeader.FMT_PLI -> PictureLossIndication.parse(buf, off, len);
            case RtcpHeader.FMT_FIR -> FullIntraRequest.parse(buf, off, len);
            case RtcpHeader.FMT_AFB ->
                ReceiverEstimatedMaxBitrate.isRemb(buf, off, len)
                    ? ReceiverEstimatedMaxBitrate.parse(buf, off, len)
                    : UnknownRtcpPacket.parse(buf, off, len);
            default -> UnknownRtcpPacket.parse(buf, off, len);
          };
      default -> UnknownRtcpPacket.parse(buf, off, len);
    };
  }
}
