package eu.visio.signal.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import livekit.LivekitModels.ClientInfo;
import livekit.LivekitRtc.ConnectionSettings;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.WrappedJoinRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The /rtc/v1 join_request parameter: plain and gzip, and everything a client could get wrong. */
class JoinRequestsTest {
  static JoinRequest sample() {
    return JoinRequest.newBuilder()
        .setClientInfo(
            ClientInfo.newBuilder().setSdk(ClientInfo.SDK.JS).setVersion("2.23.0").setProtocol(17))
        .setConnectionSettings(
            ConnectionSettings.newBuilder().setAutoSubscribe(true).setAdaptiveStream(true))
        .setMetadata("{\"hand\":false}")
        .putParticipantAttributes("team", "blue")
        .setPublisherOffer(SessionDescription.newBuilder().setType("offer").setSdp("v=0\r\n"))
        .build();
  }

  @Test
  void plainAndGzipRoundTrip() throws Exception {
    for (boolean gzip : new boolean[] {false, true}) {
      JoinRequest back = JoinRequests.decode(JoinRequests.encode(sample(), gzip));
      assertThat(back).isEqualTo(sample());
      assertThat(back.getClientInfo().getProtocol()).isEqualTo(17);
      assertThat(back.getPublisherOffer().getSdp()).isEqualTo("v=0\r\n");
    }
  }

  @Test
  void standardBase64WithPaddingIsAcceptedToo() throws Exception {
    byte[] wrapped =
        WrappedJoinRequest.newBuilder()
            .setJoinRequest(sample().toByteString())
            .build()
            .toByteArray();
    assertThat(JoinRequests.decode(Base64.getEncoder().encodeToString(wrapped)))
        .isEqualTo(sample());
  }

  @Test
  void aGzipBombIsRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(new byte[4 * 1024 * 1024]); // 4 MiB of zeros: about 4 KiB compressed
    }
    String p =
        Base64.getUrlEncoder()
            .encodeToString(
                WrappedJoinRequest.newBuilder()
                    .setCompression(WrappedJoinRequest.Compression.GZIP)
                    .setJoinRequest(ByteString.copyFrom(out.toByteArray()))
                    .build()
                    .toByteArray());
    assertThat(p.length()).isLessThan(JoinRequests.MAX_PARAMETER_CHARS);
    assertThatThrownBy(() -> JoinRequests.decode(p)).hasMessage("join_request inflates too large");
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> JoinRequests.decode(null)).hasMessage("missing join_request");
    assertThatThrownBy(() -> JoinRequests.decode("!!!")).hasMessage("join_request is not base64");
    assertThatThrownBy(() -> JoinRequests.decode("a".repeat(300_000)))
        .hasMessage("join_request too long");
    String notGzip =
        Base64.getUrlEncoder()
            .encodeToString(
                WrappedJoinRequest.newBuilder()
                    .setCompression(WrappedJoinRequest.Compression.GZIP)
                    .setJoinRequest(ByteString.copyFromUtf8("plain"))
                    .build()
                    .toByteArray());
    assertThatThrownBy(() -> JoinRequests.decode(notGzip))
        .hasMessage("join_request is not valid gzip");
    String unknownCompression = Base64.getUrlEncoder().encodeToString(new byte[] {0x08, 0x07});
    assertThatThrownBy(() -> JoinRequests.decode(unknownCompression))
        .hasMessage("join_request compression not supported");
  }

  @Property(tries = 2000)
  void arbitraryParametersOnlyFailAsSignalErrors(@ForAll @StringLength(max = 400) String s) {
    try {
      JoinRequests.decode(s);
    } catch (SignalException expected) {
      // the only failure allowed
    }
  }

  @Property(tries = 2000)
  void arbitraryBytesOnlyFailAsSignalErrors(@ForAll @Size(max = 300) byte[] b) {
    try {
      JoinRequests.decode(Base64.getUrlEncoder().encodeToString(b));
    } catch (SignalException expected) {
      // the only failure allowed
    }
  }
}
