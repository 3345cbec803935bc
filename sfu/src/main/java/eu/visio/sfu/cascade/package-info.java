/**
 * Cascading (issue 10): one room spread over several nodes. Participants connect to the node chosen
 * for them; nodes exchange the tracks published on them over a {@link
 * eu.visio.sfu.cascade.RelayLink}, the network analogue of {@link eu.visio.sfu.TrackPipe}: one copy
 * of each packet per remote node, not per remote subscriber, and every simulcast encoding, so the
 * receiving node selects layers per subscriber itself.
 *
 * <ul>
 *   <li>The origin node {@linkplain eu.visio.sfu.cascade.RelayLink#export exports} a published
 *       track under a channel number; a {@link eu.visio.sfu.cascade.LinkSender} then copies each of
 *       its packets and sender reports onto the link once, answers the remote side's NACKs from the
 *       track's history (the original packet again, no RTX) and turns its PLIs into the track's
 *       (throttled) keyframe requests.
 *   <li>The remote node, told by signalling what the channel carries, {@linkplain
 *       eu.visio.sfu.cascade.RelayLink#importTrack imports} it: a {@link
 *       eu.visio.sfu.cascade.LinkReceiver} publishes a mirror track in its room under a relay
 *       participant of the publisher's id; local subscribers receive the mirror like any track. The
 *       mirror's NACK generator and keyframe requests go back over the link.
 * </ul>
 *
 * <p>Wire format, key exchange and encryption: {@code eu.visio.media.relay}. Each datagram carries
 * one original RTP or RTCP packet behind a 3-byte header (kind, encoding, channel), sealed with
 * AES-128-GCM under per-direction keys from an X25519 exchange authenticated by the cluster secret.
 * The link re-keys with a fresh exchange every 10 minutes or 2^23 datagrams ({@link
 * eu.visio.media.relay.RekeyPolicy}, from the room's tick), switching without pause or loss: the
 * receiver opens the previous key for a grace period, the sender moves once the peer confirmed.
 *
 * <p>Threading: everything that touches the room (export, import, the senders and receivers, the
 * hello timer) runs on the room's worker. The link's receive thread handles hellos, authenticates
 * and decrypts, and hands plaintext to the worker through a {@link eu.visio.media.net.HandoffRing}
 * (as {@code TrackPipe} does), waking it once per batch. Nothing allocates per packet.
 */
package eu.visio.sfu.cascade;
