package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.dtls.DtlsFingerprint.HashFunction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsFingerprintTest {
  private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

  /** FIPS 180-2 / 180-4 "abc" digests, in SDP form. */
  @ParameterizedTest
  @CsvSource({
    "SHA_1, sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
    "SHA_256, sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:"
        + "B4:10:FF:61:F2:00:15:AD",
    "SHA_384, sha-384 CB:00:75:3F:45:A3:5E:8B:B5:A0:3D:69:9A:C6:50:07:27:2C:32:AB:0E:DE:D1:63:"
        + "1A:8B:60:5A:43:FF:5B:ED:80:86:07:2B:A1:E7:CC:23:58:BA:EC:A1:34:C8:25:A7",
    "SHA_512, sha-512 DD:AF:35:A1:93:61:7A:BA:CC:41:73:49:AE:20:41:31:12:E6:FA:4E:89:A9:7E:A2:"
        + "0A:9E:EE:E6:4B:55:D3:9A:21:92:99:2A:27:4F:C1:A8:36:BA:3C:23:A3:FE:EB:BD:45:4D:44:23:"
        + "64:3C:E8:0E:2A:9A:C9:4F:A5:4C:A4:9F",
  })
  void formatsAndParsesKnownDigests(HashFunction f, String sdp) throws Exception {
    DtlsFingerprint computed = DtlsFingerprint.of(f, ABC);
    assertThat(computed.toString()).isEqualTo(sdp);

    DtlsFingerprint parsed = DtlsFingerprint.parse(sdp);
    assertThat(parsed).isEqualTo(computed);
    assertThat(parsed.hashFunction()).isEqualTo(f);
    assertThat(parsed.digest()).hasSize(f.length);
    assertThat(parsed.matches(ABC)).isTrue();
    assertThat(parsed.matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SHA-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D", // name case
        "sha-1 a9:99:3e:36:47:06:81:6a:ba:3e:25:71:78:50:c2:6c:9c:d0:d8:9d", // lowercase hex
        "  sha-1  A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D \r\n", // spacing
      })
  void leniencyStillCanonicalizes(String sdp) throws Exception {
    DtlsFingerprint f = DtlsFingerprint.parse(sdp);
    assertThat(f.toString())
        .isEqualTo("sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D");
    assertThat(f.matches(ABC)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sha-256",
        "sha-256 ",
        "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
        "md5 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C", // forbidden by RFC 8122
        "sha-224 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D:00:00:00:00",
        "sha-256 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D", // sha-1 length
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D:", // trailing colon
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9", // short last pair
        "sha-1 A9993E36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D:00:00", // missing colons
        "sha-1 A9-99-3E-36-47-06-81-6A-BA-3E-25-71-78-50-C2-6C-9C-D0-D8-9D", // wrong separator
        "sha-1 G9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D", // not hex
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E 25:71:78:50:C2:6C:9C:D0:D8:9D", // space inside
      })
  void rejectsMalformed(String sdp) {
    assertThatThrownBy(() -> DtlsFingerprint.parse(sdp)).isInstanceOf(DtlsParseException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha-1", "SHA-256", "sha-384", "Sha-512"})
  void hashNamesAreCaseInsensitive(String name) {
    assertThat(HashFunction.bySdpName(name)).isNotNull();
    assertThat(HashFunction.bySdpName(name).sdpName).isEqualTo(name.toLowerCase(Locale.ROOT));
  }

  @org.junit.jupiter.api.Test
  void nullIsAParseError() {
    assertThatThrownBy(() -> DtlsFingerprint.parse(null)).isInstanceOf(DtlsParseException.class);
  }

  @org.junit.jupiter.api.Test
  void constructorRejectsValueOfWrongLength() {
    assertThatThrownBy(() -> new DtlsFingerprint(HashFunction.SHA_256, "AB:CD"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void roundTripsAnyCertificateBytes(
      @ForAll HashFunction f, @ForAll @Size(max = 600) byte[] der, @ForAll byte flip) {
    DtlsFingerprint fp = DtlsFingerprint.of(f, der);
    DtlsFingerprint parsed;
    try {
      parsed = DtlsFingerprint.parse(fp.toString());
    } catch (DtlsParseException e) {
      throw new AssertionError(e);
    }
    assertThat(parsed).isEqualTo(fp);
    assertThat(parsed.matches(der)).isTrue();
    if (der.length > 0 && flip != 0) {
      byte[] other = der.clone();
      other[0] ^= flip;
      assertThat(parsed.matches(other)).isFalse();
    }
  }

  @Property
  void randomTextOnlyThrowsParseError(@ForAll("fingerprintLike") String s) {
    try {
      DtlsFingerprint f = DtlsFingerprint.parse(s);
      assertThat(f.digest()).hasSize(f.hashFunction().length);
    } catch (DtlsParseException expected) {
      // the only allowed failure
    }
  }

  /** Valid fingerprints with random edits, plus arbitrary strings. */
  @Provide
  Arbitrary<String> fingerprintLike() {
    String valid = DtlsFingerprint.of(HashFunction.SHA_256, ABC).toString();
    Arbitrary<String> mutated =
        Arbitraries.integers()
            .between(0, valid.length() - 1)
            .tuple3()
            .flatMap(
                t ->
                    Arbitraries.chars()
                        .map(
                            c -> {
                              StringBuilder b = new StringBuilder(valid);
                              b.setCharAt(t.get1(), c);
                              b.delete(Math.min(t.get2(), t.get3()), Math.max(t.get2(), t.get3()));
                              return b.toString();
                            }));
    return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(200));
  }
}
