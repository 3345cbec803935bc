/**
 * An embedded TURN server (RFC 8656, "Traversal Using Relays around NAT") for browsers whose
 * networks block UDP to the media port: {@link eu.visio.media.turn.TurnServer} with UDP and TCP
 * listeners (§3.1), UDP relays only (§7.2: REQUESTED-TRANSPORT 17, else 442), Allocate (§7),
 * Refresh (§8), CreatePermission (§9, §10), Send and Data indications (§11), ChannelBind and
 * ChannelData (§12; on streams padded to 4 bytes, §12.5), long-term credentials (§7.2, RFC 8489
 * §9.2) in the TURN REST form ({@link eu.visio.media.turn.TurnCredentials}) with stateless nonces,
 * and a {@link eu.visio.media.turn.RelayPolicy} that keeps it from being an open relay (§21).
 *
 * <p>Hand-written on this project's STUN codec ({@code eu.visio.media.stun}) because there is no
 * well-kept Java TURN server library: the Java options are client-side (ice4j's TURN support is a
 * client for Jitsi) or unmaintained, and running coturn beside the JVM would add a second process,
 * configuration and credential secret to keep in step. The server needs only the small subset
 * above, and sharing the codec keeps its packet path allocation-light like the rest of {@code
 * media}.
 */
package eu.visio.media.turn;
