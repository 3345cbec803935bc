package eu.visio.meet.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relying party side of OpenID Connect's authorization code flow, with PKCE (S256) and a nonce:
 * {@link #begin} sends the browser to the provider, {@link #complete} turns the provider's callback
 * into an {@link Identity}.
 *
 * <p>The state, nonce and code verifier stay on the server ({@link PendingSignIns}): the browser
 * only carries the state, and each state is good for one callback within ten minutes.
 */
public final class OidcClient {
  private static final Logger LOG = LoggerFactory.getLogger(OidcClient.class);

  /** Largest JWKS document read; real ones hold a handful of keys. */
  private static final int JWKS_MAX_BYTES = 256 * 1024;

  private final OidcConfig config;
  private final OIDCProviderMetadata metadata;
  private final ClientAuthentication clientAuth;
  private final IdTokenCheck idTokens;
  private final PendingSignIns pending;
  private final Transport transport;

  private OidcClient(
      OidcConfig config,
      OIDCProviderMetadata metadata,
      ClientAuthentication clientAuth,
      IdTokenCheck idTokens,
      PendingSignIns pending,
      Transport transport) {
    this.config = config;
    this.metadata = metadata;
    this.clientAuth = clientAuth;
    this.idTokens = idTokens;
    this.pending = pending;
    this.transport = transport;
  }

  /** Fetches the provider's metadata (once, at start-up) and builds a client on it. */
  public static OidcClient discover(OidcConfig config) throws SignInException {
    return discover(config, Clock.systemUTC(), Transport.DIRECT, null);
  }

  /**
   * For tests: another clock, a transport in between, and optionally the JWKS source (null: the
   * provider's {@code jwks_uri}).
   */
  static OidcClient discover(
      OidcConfig config, Clock clock, Transport transport, JWKSource<SecurityContext> jwks)
      throws SignInException {
    Issuer issuer = new Issuer(config.issuer());
    OIDCProviderMetadata metadata;
    try {
      HTTPRequest request =
          new HTTPRequest(HTTPRequest.Method.GET, OIDCProviderMetadata.resolveURL(issuer));
      withTimeouts(request, config);
      HTTPResponse response = transport.send(request);
      response.ensureStatusCode(HTTPResponse.SC_OK);
      metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
    } catch (GeneralException | IOException e) {
      throw new SignInException(
          SignInFailure.DISCOVERY_FAILED, "no usable metadata at " + config.issuer(), e);
    }
    // Mix-up defence (OpenID Connect Discovery §4.3): the document must name the issuer we asked.
    if (!issuer.equals(metadata.getIssuer())) {
      throw new SignInException(
          SignInFailure.DISCOVERY_FAILED, "metadata names issuer " + metadata.getIssuer());
    }
    if (metadata.getAuthorizationEndpointURI() == null
        || metadata.getTokenEndpointURI() == null
        || metadata.getJWKSetURI() == null) {
      throw new SignInException(
          SignInFailure.DISCOVERY_FAILED, "metadata lacks authorization, token or jwks endpoint");
    }
    Set<JWSAlgorithm> algorithms = IdTokenCheck.acceptable(metadata.getIDTokenJWSAlgs());
    if (algorithms.isEmpty()) {
      throw new SignInException(
          SignInFailure.DISCOVERY_FAILED,
          "provider signs ID tokens only with " + metadata.getIDTokenJWSAlgs());
    }
    if (jwks == null) {
      jwks = jwksOf(metadata.getJWKSetURI(), config);
    }
    IdTokenCheck idTokens =
        new IdTokenCheck(issuer.getValue(), config.clientId(), algorithms, jwks, clock);
    OidcClient client =
        new OidcClient(
            config,
            metadata,
            clientAuthentication(config, metadata),
            idTokens,
            new PendingSignIns(clock, PendingSignIns.DEFAULT_CAPACITY),
            transport);
    LOG.info(
        "OpenID provider {}: ID token algorithms {}, client authentication {}",
        issuer,
        algorithms,
        client.clientAuth.getMethod());
    return client;
  }

  /**
   * Starts a sign-in: the URL to redirect the browser to.
   *
   * @param returnTo local path to come back to afterwards; anything else means {@code /}
   */
  public SignInRedirect begin(String returnTo) {
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    String state = pending.add(nonce, verifier, ReturnPath.sanitize(returnTo));
    AuthenticationRequest.Builder request =
        new AuthenticationRequest.Builder(
                ResponseType.CODE,
                new Scope(config.scopes().toArray(String[]::new)),
                new ClientID(config.clientId()),
                config.redirectUri())
            .endpointURI(metadata.getAuthorizationEndpointURI())
            .state(new State(state))
            .nonce(nonce)
            .codeChallenge(verifier, CodeChallengeMethod.S256);
    config.extraAuthorizeParams().forEach(request::customParameter);
    return new SignInRedirect(request.build().toURI(), state);
  }

  /**
   * Finishes a sign-in from the callback's query parameters ({@code code} and {@code state}, or
   * {@code error}). Uses up the state whatever the outcome.
   */
  public SignedIn complete(Map<String, List<String>> callbackParams) throws SignInException {
    AuthenticationResponse response;
    try {
      response = AuthenticationResponseParser.parse(config.redirectUri(), callbackParams);
    } catch (ParseException e) {
      throw new SignInException(SignInFailure.BAD_CALLBACK, "not an authorization response", e);
    }
    State state = response.getState();
    PendingSignIns.Pending signIn = pending.take(state == null ? null : state.getValue());
    if (response.getIssuer() != null && !response.getIssuer().equals(metadata.getIssuer())) {
      // RFC 9207: a response relayed from another provider (mix-up attack).
      throw new SignInException(
          SignInFailure.BAD_CALLBACK, "callback from issuer " + response.getIssuer());
    }
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      throw new SignInException(SignInFailure.PROVIDER_ERROR, describe(error));
    }
    AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
    if (code == null) {
      throw new SignInException(SignInFailure.BAD_CALLBACK, "no authorization code");
    }
    Tokens tokens = exchange(code, signIn.verifier());
    JWTClaimsSet claims = idTokens.check(tokens.idToken(), signIn.nonce().getValue());
    Map<String, Object> profile = claims.getClaims();
    if (needsUserInfo(claims) && tokens.accessToken() != null) {
      profile = userInfo(tokens.accessToken(), claims.getSubject());
    }
    Identity identity =
        new Identity(
            claims.getIssuer(), claims.getSubject(), text(profile, "email"), fullName(profile));
    return new SignedIn(identity, signIn.returnTo(), tokens.idToken());
  }

  /**
   * Where to send the browser to also end its session at the provider (RP-initiated logout), when
   * the provider offers it.
   *
   * @param idTokenHint the ID token from {@link SignedIn#idToken()}
   * @param postLogoutRedirect where the provider should send the browser back to (registered)
   */
  public Optional<URI> logoutLocation(String idTokenHint, URI postLogoutRedirect) {
    URI endpoint = metadata.getEndSessionEndpointURI();
    if (endpoint == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LogoutRequest(
                  endpoint,
                  idTokenHint == null ? null : JWTParser.parse(idTokenHint),
                  postLogoutRedirect,
                  null)
              .toURI());
    } catch (java.text.ParseException e) {
      return Optional.of(new LogoutRequest(endpoint, null, postLogoutRedirect, null).toURI());
    }
  }

  /** Number of sign-ins started and not yet completed or lapsed (for metrics). */
  public int pendingSignIns() {
    return pending.size();
  }

  private record Tokens(String idToken, BearerAccessToken accessToken) {}

  private Tokens exchange(AuthorizationCode code, CodeVerifier verifier) throws SignInException {
    TokenRequest request =
        new TokenRequest.Builder(
                metadata.getTokenEndpointURI(),
                clientAuth,
                new AuthorizationCodeGrant(code, config.redirectUri(), verifier))
            .build();
    HTTPResponse response;
    try {
      HTTPRequest http = request.toHTTPRequest();
      withTimeouts(http, config);
      response = transport.send(http);
    } catch (IOException e) {
      throw new SignInException(
          SignInFailure.TOKEN_EXCHANGE_FAILED, "token endpoint unreachable", e);
    }
    try {
      if (response.getStatusCode() != HTTPResponse.SC_OK) {
        ErrorObject error = TokenErrorResponse.parse(response).getErrorObject();
        throw new SignInException(SignInFailure.TOKEN_EXCHANGE_FAILED, describe(error));
      }
      Map<String, Object> body = response.getBodyAsJSONObject();
      Object idToken = body.get("id_token");
      Object accessToken = body.get("access_token");
      if (!(idToken instanceof String id)) {
        throw new SignInException(SignInFailure.ID_TOKEN_UNSUPPORTED, "no id_token in response");
      }
      return new Tokens(id, accessToken instanceof String at ? new BearerAccessToken(at) : null);
    } catch (ParseException e) {
      throw new SignInException(
          SignInFailure.TOKEN_EXCHANGE_FAILED, "unreadable token response", e);
    }
  }

  /**
   * Whether to ask the userinfo endpoint: ProConnect, for one, puts the email only there, while
   * Keycloak puts it in the ID token too and saves us the round trip.
   */
  private boolean needsUserInfo(JWTClaimsSet claims) {
    return metadata.getUserInfoEndpointURI() != null && claims.getClaim("email") == null;
  }

  private Map<String, Object> userInfo(BearerAccessToken token, String subject)
      throws SignInException {
    HTTPRequest request =
        new UserInfoRequest(metadata.getUserInfoEndpointURI(), token).toHTTPRequest();
    withTimeouts(request, config);
    Map<String, Object> claims;
    try {
      UserInfoResponse response = UserInfoResponse.parse(transport.send(request));
      if (!response.indicatesSuccess()) {
        ErrorObject error = ((UserInfoErrorResponse) response).getErrorObject();
        throw new SignInException(SignInFailure.USERINFO_FAILED, describe(error));
      }
      UserInfoSuccessResponse success = response.toSuccessResponse();
      if (success.getUserInfo() != null) {
        claims = success.getUserInfo().toJSONObject();
      } else {
        // Signed userinfo (ProConnect answers application/jwt): verify before trusting it.
        claims =
            idTokens
                .verifiedJwt(success.getUserInfoJWT().getParsedString(), "userinfo")
                .getJWTClaimsSet()
                .getClaims();
      }
    } catch (IOException | ParseException | java.text.ParseException e) {
      throw new SignInException(SignInFailure.USERINFO_FAILED, "userinfo unavailable", e);
    }
    // OpenID Connect Core §5.3.2: the answer must be about the ID token's subject.
    if (!subject.equals(claims.get("sub"))) {
      throw new SignInException(SignInFailure.USERINFO_FAILED, "userinfo for another subject");
    }
    return claims;
  }

  private static String fullName(Map<String, Object> claims) {
    String name = text(claims, "name");
    if (!name.isBlank()) {
      return name;
    }
    String family = text(claims, "family_name");
    if (family.isBlank()) {
      family = text(claims, "usual_name"); // ProConnect's name for it
    }
    return (text(claims, "given_name") + " " + family).strip();
  }

  private static String text(Map<String, Object> claims, String name) {
    return claims.get(name) instanceof String s ? s.strip() : "";
  }

  /** The provider's error code and description, cut short: it ends up in logs. */
  private static String describe(ErrorObject error) {
    String text =
        error.getCode()
            + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")");
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static ClientAuthentication clientAuthentication(
      OidcConfig config, OIDCProviderMetadata metadata) throws SignInException {
    ClientID id = new ClientID(config.clientId());
    Secret secret = new Secret(config.clientSecret());
    List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
    // RFC 8414 §2: a provider that lists none supports client_secret_basic.
    if (methods == null
        || methods.isEmpty()
        || methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
      return new ClientSecretBasic(id, secret);
    }
    if (methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      return new ClientSecretPost(id, secret);
    }
    throw new SignInException(
        SignInFailure.DISCOVERY_FAILED, "no client secret authentication among " + methods);
  }

  private static JWKSource<SecurityContext> jwksOf(URI jwksUri, OidcConfig config)
      throws SignInException {
    int millis = (int) Math.min(Integer.MAX_VALUE, config.httpTimeout().toMillis());
    try {
      // Cached, refreshed on an unknown key id (the provider rotated its keys), rate limited.
      return JWKSourceBuilder.create(
              jwksUri.toURL(), new DefaultResourceRetriever(millis, millis, JWKS_MAX_BYTES))
          .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new SignInException(SignInFailure.DISCOVERY_FAILED, "bad jwks_uri " + jwksUri, e);
    }
  }

  private static void withTimeouts(HTTPRequest request, OidcConfig config) {
    int millis = (int) Math.min(Integer.MAX_VALUE, config.httpTimeout().toMillis());
    request.setConnectTimeout(millis);
    request.setReadTimeout(millis);
  }
}
