/**
 * LiveKit access tokens (JWT, RFC 7519, HS256 only): what a token grants ({@link
 * eu.visio.signal.token.VideoGrant}, {@link eu.visio.signal.token.AccessClaims}), verifying the
 * tokens clients present ({@link eu.visio.signal.token.TokenVerifier}) and minting them for our own
 * services and tests ({@link eu.visio.signal.token.TokenIssuer}). Claim names and defaults follow
 * LiveKit's {@code protocol/auth} so that tokens minted by any LiveKit server SDK work unchanged.
 * JWT handling is nimbus-jose-jwt's; only the LiveKit semantics are ours.
 */
package eu.visio.signal.token;
