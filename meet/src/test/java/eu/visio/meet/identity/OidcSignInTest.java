package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in end to end against a real OpenID provider (mock-oauth2-server, in process): discovery,
 * the browser's trip through the authorization endpoint (driven with java.net.http, the provider
 * approving without a login form), the callback, the code exchange and the ID token checks.
 */
final class OidcSignInTest {
  private static final String ISSUER_ID = "visio";
  private static final String CLIENT_ID = "visio-meet";
  private static final String SECRET = "s3cret-never-logged";
  private static final URI CALLBACK = URI.create("http://localhost:1/auth/callback");

  private final HttpClient browser =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private MockOAuth2Server provider;
  private MutableClock clock;
  private UnaryOperator<HTTPResponse> tokenResponseFilter;
  private UnaryOperator<HTTPResponse> metadataFilter;
  private HTTPRequest tokenRequest;

  @BeforeEach
  void startProvider() {
    provider = new MockOAuth2Server();
    provider.start();
    clock = MutableClock.ofNow();
    tokenResponseFilter = UnaryOperator.identity();
    metadataFilter = UnaryOperator.identity();
  }

  @AfterEach
  void stopProvider() {
    provider.shutdown();
  }

  private OidcConfig config() {
    return new OidcConfig(
        provider.issuerUrl(ISSUER_ID).uri(),
        CLIENT_ID,
        SECRET,
        CALLBACK,
        List.of("openid", "email", "profile"),
        Map.of("acr_values", "eidas1"),
        Duration.ofSeconds(5));
  }

  /** A client whose token responses pass through {@link #tokenResponseFilter}. */
  private OidcClient client() throws SignInException {
    return OidcClient.discover(
        config(),
        clock,
        request -> {
          HTTPResponse response = request.send();
          String url = request.getURL().toString();
          if (url.endsWith("/token")) {
            tokenRequest = request;
            return tokenResponseFilter.apply(response);
          }
          return url.endsWith("/openid-configuration") ? metadataFilter.apply(response) : response;
        },
        null);
  }

  /** The provider's next ID token: this subject and these claims, for {@code audience}. */
  private void nextToken(
      String subject, Map<String, Object> claims, List<String> audience, long expirySeconds) {
    provider.enqueueCallback(
        new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, claims, expirySeconds));
  }

  private void nextAlice() {
    nextToken(
        "alice-sub",
        Map.of("email", "alice@example.gouv.fr", "name", "Alice Martin"),
        List.of(CLIENT_ID),
        3600);
  }

  /** What the browser brings back to our callback after visiting the authorization URL. */
  private Map<String, List<String>> visitProvider(SignInRedirect redirect) throws Exception {
    HttpResponse<String> response =
        browser.send(
            HttpRequest.newBuilder(redirect.location()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("provider answers with a redirect").isEqualTo(302);
    URI back = URI.create(response.headers().firstValue("Location").orElseThrow());
    assertThat(back.getPath()).isEqualTo(CALLBACK.getPath());
    return query(back);
  }

  private static Map<String, List<String>> query(URI uri) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&", -1)) {
      int eq = pair.indexOf('=');
      params
          .computeIfAbsent(decode(pair.substring(0, eq)), k -> new ArrayList<>())
          .add(decode(pair.substring(eq + 1)));
    }
    return params;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> with(
      Map<String, List<String>> params, String name, String value) {
    Map<String, List<String>> out = new LinkedHashMap<>(params);
    out.put(name, List.of(value));
    return out;
  }

  @Test
  void signsInWithCodePkceAndNonce() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/abc-defg-hij");
    Map<String, List<String>> asked = query(redirect.location());
    assertThat(asked.get("response_type")).containsExactly("code");
    assertThat(asked.get("client_id")).containsExactly(CLIENT_ID);
    assertThat(asked.get("code_challenge_method")).containsExactly("S256");
    assertThat(asked.get("code_challenge").getFirst()).hasSize(43);
    assertThat(asked.get("nonce").getFirst()).isNotBlank();
    assertThat(asked.get("state")).containsExactly(redirect.state());
    assertThat(asked.get("acr_values")).containsExactly("eidas1");
    assertThat(asked.get("scope").getFirst().split(" ")).contains("openid", "email");

    nextAlice();
    SignedIn signedIn = client.complete(visitProvider(redirect));

    assertThat(signedIn.identity())
        .isEqualTo(
            new Identity(
                provider.issuerUrl(ISSUER_ID).toString(),
                "alice-sub",
                "alice@example.gouv.fr",
                "Alice Martin"));
    assertThat(signedIn.returnTo()).isEqualTo("/abc-defg-hij");
    assertThat(SignedJWT.parse(signedIn.idToken()).getJWTClaimsSet().getSubject())
        .isEqualTo("alice-sub");
    assertThat(signedIn.toString()).doesNotContain(signedIn.idToken());
    assertThat(client.pendingSignIns()).isZero();
  }

  @Test
  void exchangesTheCodeWithTheVerifierAndBasicClientAuthentication() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    nextAlice();
    Map<String, List<String>> callback = visitProvider(redirect);
    client.complete(callback);

    assertThat(tokenRequest).as("a token request reached the provider").isNotNull();
    String expectedBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(tokenRequest.getAuthorization()).isEqualTo(expectedBasic);
    Map<String, List<String>> form = tokenRequest.getBodyAsFormParameters();
    assertThat(form.get("grant_type")).containsExactly("authorization_code");
    assertThat(form.get("code")).isEqualTo(callback.get("code"));
    assertThat(form.get("redirect_uri")).containsExactly(CALLBACK.toString());
    assertThat(form.get("code_verifier").getFirst()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(form).doesNotContainKey("client_secret");
  }

  @Test
  void aStateWeNeverIssuedIsRefused() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    Map<String, List<String>> callback = visitProvider(redirect);

    assertThatThrownBy(() -> client.complete(with(callback, "state", Secrets.newToken())))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.STATE_UNKNOWN));
    callback.remove("state");
    assertThatThrownBy(() -> client.complete(callback))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.STATE_UNKNOWN));
  }

  @Test
  void aReplayedCallbackIsRefused() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    nextAlice();
    Map<String, List<String>> callback = visitProvider(redirect);
    client.complete(callback);

    assertThatThrownBy(() -> client.complete(callback))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.STATE_UNKNOWN));
  }

  @Test
  void aStateOlderThanTenMinutesIsRefused() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    Map<String, List<String>> callback = visitProvider(redirect);
    clock.advance(PendingSignIns.LIFETIME);

    assertThatThrownBy(() -> client.complete(callback))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.STATE_EXPIRED));
  }

  @Test
  void theProvidersErrorIsReportedAndUsesUpTheState() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    Map<String, List<String>> denied = new LinkedHashMap<>();
    denied.put("error", List.of("access_denied"));
    denied.put("error_description", List.of("user said no"));
    denied.put("state", List.of(redirect.state()));

    assertThatThrownBy(() -> client.complete(denied))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(SignInFailure.PROVIDER_ERROR);
              assertThat(e.getMessage()).contains("access_denied");
            });
    assertThat(client.pendingSignIns()).isZero();
  }

  @Test
  void theTokenEndpointsRefusalIsReported() throws Exception {
    tokenResponseFilter =
        response -> {
          HTTPResponse refused = new HTTPResponse(400);
          refused.setHeader("Content-Type", "application/json");
          refused.setBody("{\"error\":\"invalid_grant\",\"error_description\":\"code used\"}");
          return refused;
        };
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");

    assertThatThrownBy(() -> client.complete(visitProvider(redirect)))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(SignInFailure.TOKEN_EXCHANGE_FAILED);
              assertThat(e.getMessage()).contains("invalid_grant");
            });
  }

  /**
   * Replaces the ID token the provider returns with another one the provider signs, for this
   * sign-in's nonce unless {@code nonce} says otherwise: a genuine token differing in one respect.
   */
  private void swapIdToken(
      SignInRedirect redirect, String nonce, List<String> audience, long expirySeconds) {
    String realNonce = query(redirect.location()).get("nonce").getFirst();
    SignedJWT swapped =
        provider.issueToken(
            ISSUER_ID,
            CLIENT_ID,
            new DefaultOAuth2TokenCallback(
                ISSUER_ID,
                "alice-sub",
                "JWT",
                audience,
                Map.of("nonce", nonce == null ? realNonce : nonce, "email", "a@example.org"),
                expirySeconds));
    tokenResponseFilter = response -> withIdToken(response, swapped.serialize());
  }

  private static HTTPResponse withIdToken(HTTPResponse response, String idToken) {
    try {
      Map<String, Object> body = new LinkedHashMap<>(response.getBodyAsJSONObject());
      body.put("id_token", idToken);
      HTTPResponse altered = new HTTPResponse(200);
      altered.setHeader("Content-Type", "application/json");
      altered.setBody(JSONObjectUtils.toJSONString(body));
      return altered;
    } catch (com.nimbusds.oauth2.sdk.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSwappedTokenThatIsRightInEveryRespectIsAccepted() throws Exception {
    // The control for the swaps below: swapping itself is not what they catch.
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    swapIdToken(redirect, null, List.of(CLIENT_ID), 3600);

    assertThat(client.complete(visitProvider(redirect)).identity().email())
        .isEqualTo("a@example.org");
  }

  @Test
  void aTokenForAnotherClientIsRefused() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    swapIdToken(redirect, null, List.of("another-client"), 3600);

    assertThatThrownBy(() -> client.complete(visitProvider(redirect)))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.ID_TOKEN_WRONG_AUDIENCE));
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    swapIdToken(redirect, null, List.of(CLIENT_ID), 30);
    Map<String, List<String>> callback = visitProvider(redirect);
    // The token lives 30 s; the callback comes past that and the clock skew, within the state's
    // life. The provider stamps the token with real time, which has run on since the test clock
    // was set (seconds on a loaded machine): catch up with it first.
    clock.advance(
        Duration.between(clock.instant(), java.time.Instant.now())
            .plus(IdTokenCheck.CLOCK_SKEW)
            .plusSeconds(31));

    assertThatThrownBy(() -> client.complete(callback))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.ID_TOKEN_EXPIRED));
  }

  @Test
  void aGenuineTokenFromAnotherSignInIsRefusedByItsNonce() throws Exception {
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    swapIdToken(redirect, "a-nonce-of-another-sign-in", List.of(CLIENT_ID), 3600);

    assertThatThrownBy(() -> client.complete(visitProvider(redirect)))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.ID_TOKEN_NONCE_MISMATCH));
  }

  @Test
  void aTamperedTokenIsRefused() throws Exception {
    tokenResponseFilter =
        response -> {
          try {
            String idToken = (String) response.getBodyAsJSONObject().get("id_token");
            String[] parts = idToken.split("\\.", -1);
            String claims =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            assertThat(claims).contains("alice-sub");
            String forgedClaims =
                Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                        claims.replace("alice-sub", "mallory").getBytes(StandardCharsets.UTF_8));
            // Claims re-encoded with another subject, signature kept.
            return withIdToken(response, parts[0] + "." + forgedClaims + "." + parts[2]);
          } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new IllegalStateException(e);
          }
        };
    OidcClient client = client();
    SignInRedirect redirect = client.begin("/");
    nextAlice();

    assertThatThrownBy(() -> client.complete(visitProvider(redirect)))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.ID_TOKEN_BAD_SIGNATURE));
  }

  @Test
  void metadataNamingAnotherIssuerIsRefused() {
    metadataFilter =
        response -> {
          HTTPResponse altered = new HTTPResponse(200);
          altered.setHeader("Content-Type", "application/json");
          altered.setBody(
              response
                  .getBody()
                  .replace(provider.issuerUrl(ISSUER_ID).toString(), "https://evil.example/"));
          return altered;
        };
    assertThatThrownBy(this::client)
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.DISCOVERY_FAILED));
  }

  @Test
  void discoveryOfAnIssuerThatIsNotThereFails() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    OidcConfig nowhere =
        OidcConfig.of(
            URI.create("http://127.0.0.1:" + closedPort + "/realms/visio"),
            CLIENT_ID,
            SECRET,
            CALLBACK);
    assertThatThrownBy(() -> OidcClient.discover(nowhere))
        .isInstanceOfSatisfying(
            SignInException.class,
            e -> assertThat(e.failure()).isEqualTo(SignInFailure.DISCOVERY_FAILED));
  }
}
