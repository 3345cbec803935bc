package eu.visio.media.rtcp;

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
   * Decodes the single packet at {@code buf[off, off+len)}, whose common header has already been
   * validated by {@link RtcpCompoundIterator#next()}.
   */
  static RtcpPacket parse(byte[] buf, int off, int len) throws RtcpParseException {
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
