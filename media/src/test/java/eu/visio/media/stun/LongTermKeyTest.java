package eu.visio.media.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The long-term credential key TURN uses (RFC 8489 §9.2.2: {@code MD5(username ":" realm ":"
 * OpaqueString(password))}) on RFC 5769 §2.4's sample request, with the key value computed outside
 * this code base: {@code md5("マトリックス:example.org:TheMatrIX")} (the password after SASLprep, as §2.4
 * gives it).
 */
class LongTermKeyTest {
  private static final byte[] KEY = HexFormat.of().parseHex("e8ca7ad59d5eb0518e312911d2dab2a9");

  @Test
  void keyOfTheRfc5769Sample() {
    assertThat(
            StunCredentials.longTermKey(
                Rfc5769Vectors.LONG_TERM_USERNAME,
                Rfc5769Vectors.LONG_TERM_REALM,
                Rfc5769Vectors.LONG_TERM_PASSWORD))
        .isEqualTo(KEY);
  }

  @Test
  void theSampleVerifiesWithTheKeyAndNotWithAChangedRealm() throws Exception {
    byte[] b = Rfc5769Vectors.LONG_TERM_REQUEST.clone();
    assertThat(StunMessage.parse(b, 0, b.length).verifyMessageIntegrity(new StunIntegrity(KEY)))
        .isTrue();
    b[b.length - 24 - 4 - 2] ^= 1; // a byte of the REALM value, before MESSAGE-INTEGRITY
    assertThat(StunMessage.parse(b, 0, b.length).verifyMessageIntegrity(new StunIntegrity(KEY)))
        .isFalse();
  }
}
