package eu.visio.signal.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** LiveKit's LIVEKIT_KEYS form, as VISIO_KEYS. */
class ApiKeysTest {
  static final String S1 = "s1-s1-s1-s1-s1-s1-s1-s1-s1-s1-s1-s1";
  static final String S2 = "s2-s2-s2-s2-s2-s2-s2-s2-s2-s2-s2-s2";

  @Test
  void pairsByLineOrComma() {
    ApiKeys keys = ApiKeys.parse("k1: " + S1 + "\nk2:" + S2 + ",");
    assertThat(keys.secret("k1")).asString().isEqualTo(S1);
    assertThat(keys.secret("k2")).asString().isEqualTo(S2);
    assertThat(keys.secret("k3")).isNull();
    assertThat(keys.toString()).contains("k1", "k2").doesNotContain(S1, S2);
    assertThat(ApiKeys.parse("").isEmpty()).isTrue();
  }

  @Test
  void malformedOrShortIsRefusedWithoutShowingTheSecret() {
    assertThatThrownBy(() -> ApiKeys.parse("justakey")).hasMessageContaining("'key: secret'");
    assertThatThrownBy(() -> ApiKeys.parse("k: tooshort"))
        .hasMessageContaining("'k'")
        .hasMessageNotContaining("tooshort");
  }
}
