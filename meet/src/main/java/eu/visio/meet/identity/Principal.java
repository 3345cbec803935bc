package eu.visio.meet.identity;

/** Whoever a session belongs to: a user signed in with a provider, or a named guest. */
public sealed interface Principal permits Identity, Guest {
  /** Stable identifier within the deployment (room roles and media identities key on it). */
  String id();

  /** Name shown to other participants. */
  String displayName();

  /** False for guests: the "unauthenticated" mark the participant list shows. */
  boolean authenticated();
}
