package eu.visio.media.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the browser offers under {@code src/test/resources/sdp/}. */
final class Fixtures {
  static final String CHROME_WHIP = "chrome-whip-offer.sdp";
  static final String CHROME_SIMULCAST = "chrome-simulcast-offer.sdp";
  static final String CHROME_WHEP = "chrome-whep-offer.sdp";
  static final String FIREFOX = "firefox-offer.sdp";
  static final String SAFARI = "safari-offer.sdp";

  /** aiortc 1.4.0's offer of data channels alone, in the SDP form before RFC 8841. */
  static final String AIORTC_DATA = "aiortc-datachannel-offer.sdp";

  static final List<String> ALL =
      List.of(CHROME_WHIP, CHROME_SIMULCAST, CHROME_WHEP, FIREFOX, SAFARI);

  static final Fingerprint OUR_FINGERPRINT =
      new Fingerprint(
          "sha-256",
          "12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0");
  static final String OUR_PWD = "s3cretIcePassw0rdXYZ1234";
  static final LocalTransportParams LOCAL =
      LocalTransportParams.iceLite(
          "srvU",
          OUR_PWD,
          OUR_FINGERPRINT,
          List.of("candidate:1 1 udp 2130706431 192.0.2.10 7882 typ host"));

  private Fixtures() {}

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SessionDescription parse(String name) throws SdpParseException {
    return SessionDescription.parse(text(name));
  }
}
