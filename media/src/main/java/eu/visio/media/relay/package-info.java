/**
 * The secure datagram link between two cluster nodes that relay one room's tracks to each other
 * (issue 10, cascading): its wire format, its authenticated key exchange and per-datagram AEAD, and
 * a UDP transport. What travels over it (which track, which encoding) is the SFU's business ({@code
 * eu.visio.sfu.cascade}); this package only frames, seals and opens.
 *
 * <p>The first byte of every datagram says what it is; both values lie outside the RFC 7983 ranges
 * (STUN, DTLS, TURN, RTP), so a link could later share a media port with browsers.
 *
 * <h2>HELLO (type {@code 0xE0}): the key exchange and re-keys</h2>
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  type = 0xE0  |  version = 2  |     flags     | id length n   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   node id (n bytes of UTF-8, 1..64) ...                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          link nonce (16 random bytes, new per link)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          sent at: Unix time in milliseconds (64 bits)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          key epoch (32 bits, 0 for the first exchange)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     X25519 ephemeral public key of that epoch (32, RFC 7748)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          the peer's link nonce seen, or 16 zero bytes         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          HMAC-SHA256 of all the above, keyed by the           |
 * |          cluster secret (32 bytes)                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A hello is refused (and counted) when its MAC fails (another cluster, or tampered), when it is
 * more than 30 s from our clock (stale), when it names our own node or carries our own nonce (a
 * reflection), a node other than the expected peer, or a nonce of the peer's already replaced
 * (replayed). Both sides then share {@code X25519(ours, theirs)} of the epoch; HKDF-SHA256 (RFC
 * 5869) with the cluster secret in the input key material, both nonces as salt and the epoch, both
 * node ids and public keys in the info gives one AES-128 key and one 4-byte IV salt per direction
 * and epoch. Flags bit 0, "answer wanted", is set while the sender is not confirmed at its epoch;
 * bit 1, "keyed", says the sender holds the receiver's public key of the hello's epoch (it has the
 * keys); other bits must be 0. A node answers a hello that has not seen its nonce or wants an
 * answer; it is confirmed at an epoch, and seals DATA under it, once a hello of the peer's echoes
 * its nonce and says "keyed" at that epoch (or comes from the epoch after), and resends its own
 * every 200 ms until then.
 *
 * <p>Re-key ({@code LinkHandshake#startRekey}): after a configurable time (10 minutes by default)
 * or {@code LinkSealer#REKEY_PACKETS} datagrams under one key, whichever comes first, a confirmed
 * node makes a fresh X25519 key pair for the next epoch and its hellos carry it (answer wanted);
 * the peer, at a hello of the next epoch, makes a fresh pair of its own for it (unless it started
 * the same re-key at the same time, which agrees just as well) and answers. Each side opens the new
 * key as soon as it has derived it, seals under it once confirmed, and still opens the previous key
 * for a grace period ({@code RekeyPolicy}: 2 s after the first datagram under the new key, 30 s at
 * most), then zeroes it; keys two epochs old are zeroed by the handshake. Media never waits: the
 * old key seals until the new one is confirmed. A hello of an epoch older than the current one, of
 * the current one with another public key, or more than one epoch ahead is refused as a replay. A
 * new nonce from the peer (it restarted) starts a new session at epoch 0 (a hello of another epoch
 * under a new nonce is stale: from the session before ours); a hello no newer than the peer's
 * current one, or of a nonce it replaced, is a replay. Version 1 nodes and version 2 nodes do not
 * talk: each refuses the other's hello as malformed.
 *
 * <h2>DATA (type {@code 0xE1}): one RTP or RTCP packet</h2>
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  type = 0xE1  |P|                                             |
 * +-+-+-+-+-+-+-+-+-+ sequence number (63 bits, from 0, per key)  +
 * |                                                               |
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               | kind  |  enc  |   channel (16 bits, not 0)    |  &lt;- encrypted
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+     from here
 * |       the original RTP or RTCP packet, unchanged ...          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       AES-128-GCM tag (16 bytes)                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The 9-byte outer header is the AEAD's associated data; the IV is the direction's salt followed by
 * its last 8 bytes, so no IV repeats under a key. {@code P}, the key phase, is the low bit of the
 * epoch the datagram was sealed in: the receiver opens it under the current or the previous epoch's
 * key by it, never by trial. The receiver keeps a 1,024-datagram replay window per key. Usage bound
 * per key (see {@code LinkSealer}): the 63-bit counter (NIST SP 800-38D §8.2.1's deterministic IV,
 * RFC 5116 §3.2's counter nonce) never runs out; RFC 9001 §6.6's AES-GCM confidentiality limit of
 * 2^23 packets is what triggers the re-key, and a sealer refuses past 2^24. The inner {@link
 * eu.visio.media.relay.LinkHeader}: {@code kind} 0 RTP, 1 RTCP sender report, 2 RTCP generic NACK,
 * 3 RTCP PLI; {@code enc} the simulcast encoding index (RTP only, 0 otherwise); {@code channel} the
 * track, numbered by the node that publishes it.
 *
 * <p>Cipher: the media module's allocation-free AES-GCM engine (OpenSSL through FFM after a
 * known-answer test, else JDK AES with our GHASH; {@code -Dvisio.srtp.gcm=jce} selects the JDK's
 * {@code AES/GCM}, which allocates about 1 KB per datagram because every JCE init needs a new
 * {@code GCMParameterSpec} and engine state).
 */
package eu.visio.media.relay;
