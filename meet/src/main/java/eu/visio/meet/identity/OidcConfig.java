package eu.visio.meet.identity;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the OpenID provider (ProConnect, Keycloak...). {@link #toString()} never shows the
 * client secret, so a config can be logged whole.
 *
 * @param issuer the provider's issuer identifier; its metadata is at {@code
 *     /.well-known/openid-configuration} below it
 * @param redirectUri our callback, exactly as registered with the provider
 * @param scopes requested scopes; {@code openid} is added when missing
 * @param extraAuthorizeParams sent as-is on the authorization request (ProConnect wants {@code
 *     acr_values}, for instance); may not override the protocol's own parameters
 * @param httpTimeout connect and read timeout for every call to the provider
 */
public record OidcConfig(
    URI issuer,
    String clientId,
    String clientSecret,
    URI redirectUri,
    List<String> scopes,
    Map<String, String> extraAuthorizeParams,
    Duration httpTimeout) {

  /** Parameters the client sets itself; letting configuration override them would void PKCE etc. */
  private static final List<String> RESERVED =
      List.of(
          "response_type",
          "client_id",
          "redirect_uri",
          "scope",
          "state",
          "nonce",
          "code_challenge",
          "code_challenge_method");

  public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(5);

  public OidcConfig {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(redirectUri, "redirectUri");
    requireHttpUrl(issuer, "issuer");
    requireHttpUrl(redirectUri, "redirectUri");
    if (clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    if (!scopes.contains("openid")) {
      scopes =
          java.util.stream.Stream.concat(java.util.stream.Stream.of("openid"), scopes.stream())
              .toList();
    }
    extraAuthorizeParams =
        extraAuthorizeParams == null ? Map.of() : Map.copyOf(extraAuthorizeParams);
    for (String key : extraAuthorizeParams.keySet()) {
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException("extra authorize parameter may not set " + key);
      }
    }
    httpTimeout = httpTimeout == null ? DEFAULT_HTTP_TIMEOUT : httpTimeout;
    if (httpTimeout.isNegative() || httpTimeout.isZero()) {
      throw new IllegalArgumentException("httpTimeout must be positive");
    }
  }

  /** The usual case: scopes {@code openid email profile}, no extra parameters, default timeout. */
  public static OidcConfig of(URI issuer, String clientId, String clientSecret, URI redirectUri) {
    return new OidcConfig(
        issuer,
        clientId,
        clientSecret,
        redirectUri,
        List.of("openid", "email", "profile"),
        Map.of(),
        DEFAULT_HTTP_TIMEOUT);
  }

  private static void requireHttpUrl(URI uri, String what) {
    String scheme = uri.getScheme();
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
      throw new IllegalArgumentException(what + " must be an absolute http(s) URL: " + uri);
    }
  }

  @Override
  public String toString() {
    return "OidcConfig[issuer="
        + issuer
        + ", clientId="
        + clientId
        + ", clientSecret="
        + (clientSecret.isEmpty() ? "(none)" : "(hidden)")
        + ", redirectUri="
        + redirectUri
        + ", scopes="
        + scopes
        + ", extraAuthorizeParams="
        + extraAuthorizeParams
        + ", httpTimeout="
        + httpTimeout
        + "]";
  }
}
