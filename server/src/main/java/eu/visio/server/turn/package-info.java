/**
 * The embedded TURN server ({@code eu.visio.media.turn}) wired into the running server: its
 * settings from {@code ServerConfig.Turn}, the {@link eu.visio.server.turn.NodeRelayPolicy} that
 * lets relays reach only this node's media port, TURN over TLS on the TLS port ({@link
 * eu.visio.server.turn.TurnOverTls}), the shared secret kept in {@code data_dir} ({@link
 * eu.visio.server.turn.TurnSecret}), and the short-lived credentials handed to clients ({@link
 * eu.visio.server.turn.EmbeddedTurn#iceServers}).
 */
package eu.visio.server.turn;
