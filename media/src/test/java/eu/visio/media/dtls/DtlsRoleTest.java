package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsRoleTest {
  @ParameterizedTest(name = "remote offer {0} -> we are {1}, answer {2}")
  @CsvSource({
    "actpass, SERVER, passive",
    "active, SERVER, passive",
    "passive, CLIENT, active",
    "' ACTPASS ', SERVER, passive",
  })
  void answeringAnOffer(String remote, DtlsRole expected, String ourAnswer) throws Exception {
    DtlsRole role = DtlsRole.forRemoteOffer(remote);
    assertThat(role).isEqualTo(expected);
    assertThat(role.answerSetup()).isEqualTo(ourAnswer);
  }

  @ParameterizedTest(name = "remote answer {0} -> we are {1}")
  @CsvSource({"active, SERVER", "passive, CLIENT", "Passive, CLIENT"})
  void afterOurActpassOffer(String remote, DtlsRole expected) throws Exception {
    assertThat(DtlsRole.forRemoteAnswer(remote)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"holdconn", "", "connect", "act pass"})
  void rejectsUnusableOfferValues(String remote) {
    assertThatThrownBy(() -> DtlsRole.forRemoteOffer(remote))
        .isInstanceOf(DtlsParseException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"actpass", "holdconn", ""})
  void rejectsUnusableAnswerValues(String remote) {
    assertThatThrownBy(() -> DtlsRole.forRemoteAnswer(remote))
        .isInstanceOf(DtlsParseException.class);
  }

  @Test
  void missingSetupIsRejected() {
    assertThatThrownBy(() -> DtlsRole.forRemoteOffer(null)).isInstanceOf(DtlsParseException.class);
    assertThatThrownBy(() -> DtlsRole.forRemoteAnswer(null)).isInstanceOf(DtlsParseException.class);
  }

  @Test
  void offerUsesActpass() {
    assertThat(DtlsRole.OFFER_SETUP).isEqualTo("actpass");
  }

  @Property
  void anyTextIsARoleOrAParseError(@ForAll String setup, @ForAll boolean offer) {
    try {
      DtlsRole role = offer ? DtlsRole.forRemoteOffer(setup) : DtlsRole.forRemoteAnswer(setup);
      assertThat(role).isNotNull();
    } catch (DtlsParseException expected) {
      // the only allowed failure
    }
  }
}
