package eu.visio.meet.identity;

/**
 * A finished sign-in.
 *
 * @param returnTo the local path the user started from, safe to redirect to
 * @param idToken the raw ID token, kept only as {@code id_token_hint} for logout at the provider;
 *     never logged ({@link #toString()} leaves it out)
 */
public record SignedIn(Identity identity, String returnTo, String idToken) {
  @Override
  public String toString() {
    return "SignedIn[identity=" + identity + ", returnTo=" + returnTo + "]";
  }
}
