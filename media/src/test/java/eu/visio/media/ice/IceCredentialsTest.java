package eu.visio.media.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IceCredentialsTest {
  @Test
  void generatedCredentialsMeetRfc8839AndAreUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      IceCredentials c = IceCredentials.generate();
      assertThat(c.ufrag()).hasSize(8).matches("[A-Za-z0-9+/]+");
      assertThat(c.pwd()).hasSize(24).matches("[A-Za-z0-9+/]+");
      assertThat(seen.add(c.pwd())).isTrue();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "abc,  abcdefghijklmnopqrstuv",
    "ab-d, abcdefghijklmnopqrstuv",
    "abcd, abcdefghijklmnopqrstu",
    "abcd, abcdefghijklmnopqrstu=",
  })
  void rejectsShortOrNonIceChars(String ufrag, String pwd) {
    assertThatThrownBy(() -> new IceCredentials(ufrag, pwd))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsTheMinimum() {
    IceCredentials c = new IceCredentials("ab+/", "abcdefghijklmnopqrstuv");
    assertThat(c.ufrag()).isEqualTo("ab+/");
  }

  @Test
  void toStringRedactsThePassword() {
    IceCredentials c = IceCredentials.generate();
    assertThat(c.toString()).contains(c.ufrag()).doesNotContain(c.pwd());
  }
}
