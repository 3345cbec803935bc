package eu.visio.meet.identity;

/**
 * Why a sign-in failed. {@link #code()} is stable: the REST layer returns it to the browser and
 * operators grep logs for it, so a code is never renamed once shipped.
 */
public enum SignInFailure {
  /** The provider's metadata could not be fetched or did not describe a usable provider. */
  DISCOVERY_FAILED("discovery_failed"),
  /**
   * The callback carried no state, one we never issued (forged, or from another server), or one
   * already used: each state is forgotten when first presented, so a replayed callback lands here.
   */
  STATE_UNKNOWN("state_unknown"),
  /** The state was issued but the user took longer than its lifetime to come back. */
  STATE_EXPIRED("state_expired"),
  /** The provider answered the authorization request with an error (e.g. access_denied). */
  PROVIDER_ERROR("provider_error"),
  /** The callback was not a well-formed authorization response. */
  BAD_CALLBACK("bad_callback"),
  /** The token endpoint refused the code or could not be reached. */
  TOKEN_EXCHANGE_FAILED("token_exchange_failed"),
  /** The ID token is not a JWT signed with an accepted public-key algorithm. */
  ID_TOKEN_UNSUPPORTED("id_token_unsupported"),
  /** The provider's signing keys (JWKS) could not be fetched. */
  KEYS_UNAVAILABLE("keys_unavailable"),
  /** The ID token's signature does not verify with any key of the provider's JWKS. */
  ID_TOKEN_BAD_SIGNATURE("id_token_bad_signature"),
  /** The ID token was issued by someone else than the configured issuer. */
  ID_TOKEN_WRONG_ISSUER("id_token_wrong_issuer"),
  /** The ID token was issued for another client. */
  ID_TOKEN_WRONG_AUDIENCE("id_token_wrong_audience"),
  /** The ID token has expired, is not yet valid, or lacks an expiry or issue time. */
  ID_TOKEN_EXPIRED("id_token_expired"),
  /** The ID token's nonce is not the one this sign-in sent: a token injected from elsewhere. */
  ID_TOKEN_NONCE_MISMATCH("id_token_nonce_mismatch"),
  /** The userinfo endpoint failed, or answered for another subject than the ID token's. */
  USERINFO_FAILED("userinfo_failed");

  private final String code;

  SignInFailure(String code) {
    this.code = code;
  }

  /** The stable, lowercase code. */
  public String code() {
    return code;
  }
}
