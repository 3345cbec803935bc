package eu.visio.meet.identity;

import java.net.URI;

/**
 * Where to send the browser to sign in (answer {@code 302} with this {@code Location}).
 *
 * @param state the state the callback must bring back, for logs and tests; it is single use
 */
public record SignInRedirect(URI location, String state) {}
