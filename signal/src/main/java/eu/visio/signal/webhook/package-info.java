/**
 * LiveKit-compatible webhooks: room and participant events POSTed as protobuf JSON, signed the way
 * LiveKit signs them (an HS256 token whose {@code sha256} claim binds the body), so that LiveKit's
 * {@code WebhookReceiver} in any server SDK accepts them. Written here because delivery is a small
 * queue and retry loop over the JDK's HTTP client.
 */
package eu.visio.signal.webhook;
