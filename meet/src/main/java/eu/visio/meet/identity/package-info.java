/**
 * Who is calling: OpenID Connect sign-in ({@link eu.visio.meet.identity.OidcClient}), server-side
 * sessions behind a cookie ({@link eu.visio.meet.identity.Sessions}), guests and a local
 * development sign-in. Framework-free: the HTTP layer maps requests onto these classes.
 */
package eu.visio.meet.identity;
