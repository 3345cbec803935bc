package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Guests, development sign-in, identities and the provider configuration. */
final class IdentitiesTest {
  @Test
  void guestsAreMarkedUnauthenticatedAndGetFreshIds() {
    Guest a = Guest.named("Zoé");
    Guest b = Guest.named("Zoé");
    assertThat(a.authenticated()).isFalse();
    assertThat(a.displayName()).isEqualTo("Zoé");
    assertThat(a.id()).startsWith("guest-").isNotEqualTo(b.id());
  }

  @Test
  void guestNamesAreCleaned() {
    assertThat(Guest.named("  Bob \n").displayName()).isEqualTo("Bob");
    assertThat(Guest.named("A\u0000l\u202Eice").displayName()).isEqualTo("Alice");
    assertThat(Guest.named("   ").displayName()).isEqualTo("Guest");
    assertThat(Guest.named(null).displayName()).isEqualTo("Guest");
    assertThat(Guest.named("x".repeat(100)).displayName()).hasSize(Guest.MAX_NAME_CHARS);
  }

  @Property
  void anyGuestNameIsShortAndPrintable(@ForAll String raw) {
    String name = Guest.named(raw).displayName();
    assertThat(name.codePointCount(0, name.length())).isBetween(1, Guest.MAX_NAME_CHARS);
    assertThat(name.codePoints().noneMatch(Character::isISOControl)).isTrue();
    assertThat(name).isEqualTo(name.strip());
  }

  @Test
  void identitiesAreAuthenticatedAndNameThemselvesSensibly() {
    Identity full = new Identity("https://idp", "sub1", "a@example.org", "Alice Martin");
    assertThat(full.authenticated()).isTrue();
    assertThat(full.id()).isEqualTo("sub1");
    assertThat(full.displayName()).isEqualTo("Alice Martin");
    assertThat(new Identity("https://idp", "sub1", "a@example.org", null).displayName())
        .isEqualTo("a@example.org");
    assertThat(new Identity("https://idp", "sub1", null, "").displayName()).isEqualTo("sub1");
    assertThatThrownBy(() -> new Identity("https://idp", "", "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void developmentSignInMakesIdentitiesThatCannotPassForProviderOnes() {
    Identity dev = DevIdentity.enable().signIn(" Alice@Example.org ", "Alice");
    assertThat(dev.issuer()).isEqualTo(DevIdentity.ISSUER);
    assertThat(dev.subject()).isEqualTo("dev:alice@example.org");
    assertThat(dev.email()).isEqualTo("alice@example.org");
    assertThat(dev.displayName()).isEqualTo("Alice");
    assertThat(DevIdentity.enable().signIn("bob@example.org", null).displayName())
        .isEqualTo("bob@example.org");
    assertThatThrownBy(() -> DevIdentity.enable().signIn(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configNeverShowsTheSecret() {
    OidcConfig config =
        OidcConfig.of(
            URI.create("https://idp.example/realms/visio"),
            "visio",
            "hunter2-very-secret",
            URI.create("https://visio.example/auth/callback"));
    assertThat(config.toString()).doesNotContain("hunter2").contains("(hidden)").contains("visio");
    assertThat(config.scopes()).containsExactly("openid", "email", "profile");
  }

  @Test
  void configAddsOpenidAndRefusesToOverrideProtocolParameters() {
    URI issuer = URI.create("https://idp.example");
    URI callback = URI.create("https://visio.example/auth/callback");
    OidcConfig config =
        new OidcConfig(
            issuer, "c", "s", callback, List.of("email"), Map.of("acr_values", "eidas1"), null);
    assertThat(config.scopes()).containsExactly("openid", "email");
    assertThat(config.httpTimeout()).isEqualTo(OidcConfig.DEFAULT_HTTP_TIMEOUT);
    for (String reserved :
        List.of("state", "nonce", "code_challenge", "redirect_uri", "client_id")) {
      assertThatThrownBy(
              () -> new OidcConfig(issuer, "c", "s", callback, null, Map.of(reserved, "x"), null))
          .as(reserved)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> OidcConfig.of(URI.create("file:///etc/passwd"), "c", "s", callback))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OidcConfig(issuer, "c", "s", callback, null, null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
