package eu.visio.media.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** StunIntegrity's own HMAC-SHA1 against the JDK's {@code Mac}, for every key length. */
class StunIntegrityTest {

  /**
   * Keys cross the 64-byte block size, where RFC 2104 switches to hashing the key first (an ICE
   * password may be up to 256 characters); messages cover empty to multi-block bodies.
   */
  @Property(tries = 300)
  void signMatchesJdkHmac(
      @ForAll @Size(min = 1, max = 300) byte[] key,
      @ForAll @Size(min = 20, max = 400) byte[] message,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int headerLength)
      throws Exception {
    int attributeStart = message.length;
    byte[] b = Arrays.copyOf(message, message.length + 4 + StunIntegrity.LENGTH);
    new StunIntegrity(key).sign(b, 0, attributeStart, headerLength);

    byte[] covered = Arrays.copyOf(message, attributeStart);
    covered[2] = (byte) (headerLength >>> 8); // the length field as the signer substitutes it
    covered[3] = (byte) headerLength;
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(key, "HmacSHA1"));
    byte[] expected = mac.doFinal(covered);

    assertThat(Arrays.copyOfRange(b, attributeStart + 4, attributeStart + 4 + 20))
        .isEqualTo(expected);
  }

  /** Signing twice with one instance gives the same MAC: no state leaks between messages. */
  @Property(tries = 50)
  void reusableAcrossMessages(
      @ForAll @Size(min = 1, max = 100) byte[] key,
      @ForAll @Size(min = 20, max = 100) byte[] first,
      @ForAll @Size(min = 20, max = 100) byte[] second) {
    StunIntegrity integrity = new StunIntegrity(key);
    byte[] a = Arrays.copyOf(second, second.length + 24);
    byte[] c = Arrays.copyOf(first, first.length + 24);
    integrity.sign(c, 0, first.length, 7);
    integrity.sign(a, 0, second.length, 9);
    byte[] fresh = Arrays.copyOf(second, second.length + 24);
    new StunIntegrity(key).sign(fresh, 0, second.length, 9);
    assertThat(a).isEqualTo(fresh);
  }
}
