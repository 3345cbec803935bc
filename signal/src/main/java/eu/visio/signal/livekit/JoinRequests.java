package eu.visio.signal.livekit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.WrappedJoinRequest;

/**
 * Decodes the {@code join_request} query parameter of {@code /rtc/v1}: base64url of a {@code
 * WrappedJoinRequest} whose {@code join_request} is a {@code JoinRequest}, plain or gzip-compressed
 * (clients compress when it pays: the first publisher offer rides along). Bounded everywhere a
 * client could make us work or allocate: the parameter's length, and the inflated size (a few
 * hundred bytes of gzip can inflate to gigabytes). Never throws anything but {@link
 * SignalException}.
 */
public final class JoinRequests {
  /** Longest parameter accepted: a join request with a large offer is tens of kilobytes. */
  static final int MAX_PARAMETER_CHARS = 256 * 1024;

  /** Largest decompressed join request accepted. */
  static final int MAX_INFLATED_BYTES = 512 * 1024;

  private JoinRequests() {}

  public static JoinRequest decode(String parameter) throws SignalException {
    if (parameter == null || parameter.isEmpty()) {
      throw new SignalException("missing join_request");
    }
    if (parameter.length() > MAX_PARAMETER_CHARS) {
      throw new SignalException("join_request too long");
    }
    byte[] raw;
    try {
      // URL-safe or not, padded or not: decode what any client's base64 produces.
      raw = Base64.getUrlDecoder().decode(parameter.replace('+', '-').replace('/', '_'));
    } catch (IllegalArgumentException e) {
      throw new SignalException("join_request is not base64");
    }
    WrappedJoinRequest wrapped;
    try {
      wrapped = WrappedJoinRequest.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new SignalException("join_request is not a WrappedJoinRequest");
    }
    ByteString payload = wrapped.getJoinRequest();
    byte[] bytes =
        switch (wrapped.getCompression()) {
          case NONE -> payload.toByteArray();
          case GZIP -> inflate(payload);
          default -> throw new SignalException("join_request compression not supported");
        };
    try {
      return JoinRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new SignalException("join_request does not hold a JoinRequest");
    }
  }

  /** The parameter for {@code request} (what clients send), gzip-compressed or not. */
  public static String encode(JoinRequest request, boolean gzip) {
    ByteString body = request.toByteString();
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
        body.writeTo(z);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      body = ByteString.copyFrom(out.toByteArray());
    }
    WrappedJoinRequest wrapped =
        WrappedJoinRequest.newBuilder()
            .setCompression(
                gzip ? WrappedJoinRequest.Compression.GZIP : WrappedJoinRequest.Compression.NONE)
            .setJoinRequest(body)
            .build();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(wrapped.toByteArray());
  }

  private static byte[] inflate(ByteString gz) throws SignalException {
    try (InputStream in = new GZIPInputStream(gz.newInput())) {
      byte[] out = in.readNBytes(MAX_INFLATED_BYTES + 1);
      if (out.length > MAX_INFLATED_BYTES) {
        throw new SignalException("join_request inflates too large");
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw new SignalException("join_request is not valid gzip");
    }
  }
}
