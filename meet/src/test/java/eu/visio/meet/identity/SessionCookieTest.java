package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class SessionCookieTest {
  @ParameterizedTest(name = "{0} -> secure={1}")
  @CsvSource({
    "http://localhost:8080, false",
    "http://LOCALHOST, false",
    "http://127.0.0.1:7880, false",
    "http://127.8.9.10, false",
    "http://[::1]:8080, false",
    "https://localhost:8443, true",
    "https://visio.example, true",
    "http://visio.example, true", // plain http off loopback: secure anyway, never in clear
    "http://127.0.0.1.nip.io, true", // a name, not a loopback literal
    "http://localhost.evil.example, true",
    "http://10.0.0.5, true",
  })
  void secureUnlessPlainHttpOnLoopback(String url, boolean secure) {
    SessionCookie cookie = SessionCookie.forServer(URI.create(url));
    assertThat(cookie.secure()).isEqualTo(secure);
    assertThat(cookie.name()).isEqualTo(secure ? "__Host-visio_session" : "visio_session");
  }

  @Test
  void loopbackCookieHasAllAttributesButSecure() {
    SessionCookie cookie = new SessionCookie(false);
    assertThat(cookie.set("abc", Duration.ofHours(12)))
        .isEqualTo("visio_session=abc; Max-Age=43200; Path=/; HttpOnly; SameSite=Lax");
    assertThat(cookie.clear())
        .isEqualTo("visio_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
  }

  @Test
  void readsItsOwnCookieOnly() {
    SessionCookie cookie = new SessionCookie(true);
    assertThat(cookie.read("__Host-visio_session=abc")).contains("abc");
    assertThat(cookie.read("a=1;  __Host-visio_session=abc ; b=2")).contains("abc");
    assertThat(cookie.read("__Host-visio_session=\"abc\"")).as("RFC 6265 quoted").contains("abc");
    assertThat(cookie.read("visio_session=abc")).isEmpty(); // the unprefixed name is not ours here
    assertThat(cookie.read("x__Host-visio_session=abc")).isEmpty();
    assertThat(cookie.read("__Host-visio_sessionx=abc")).isEmpty();
    assertThat(cookie.read("")).isEmpty();
    assertThat(cookie.read(null)).isEmpty();
  }
}
