package eu.visio.signal.livekit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.ByteBuffer;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;

/**
 * Reads and writes the signalling WebSocket's messages: {@code SignalRequest} from the client,
 * {@code SignalResponse} to it, as binary protobuf (the default) or as protobuf JSON in text frames
 * (LiveKit clients' {@code useJSON}). A message larger than {@link #MAX_MESSAGE_BYTES} or that does
 * not parse is refused with a {@link SignalException}; nothing else is thrown.
 */
public final class SignalCodec {
  /** Largest message accepted: SDP offers of many tracks stay far below. */
  public static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private static final JsonFormat.Parser JSON_IN = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer JSON_OUT =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private SignalCodec() {}

  /** A binary frame. */
  public static SignalRequest decode(ByteBuffer frame) throws SignalException {
    if (frame.remaining() > MAX_MESSAGE_BYTES) {
      throw new SignalException("signal message too large");
    }
    try {
      return SignalRequest.parseFrom(frame);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new SignalException("signal message is not a SignalRequest");
    }
  }

  /** A text frame (protobuf JSON). */
  public static SignalRequest decode(String frame) throws SignalException {
    if (frame.length() > MAX_MESSAGE_BYTES) {
      throw new SignalException("signal message too large");
    }
    try {
      SignalRequest.Builder b = SignalRequest.newBuilder();
      JSON_IN.merge(frame, b);
      return b.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new SignalException("signal message is not a SignalRequest");
    }
  }

  public static byte[] encodeBinary(SignalResponse response) {
    return response.toByteArray();
  }

  public static String encodeJson(SignalResponse response) {
    try {
      return JSON_OUT.print(response);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a SignalResponse always prints", e);
    }
  }
}
