/**
 * The secure datagram link between two cluster nodes that relay one room's tracks to each other
 * (issue 10, cascading): its wire format, its authenticated key exchange and per-datagram AEAD, and
 * a UDP transport. What travels over it (which track, which encoding) is the SFU's business ({@code
 * eu.visio.sfu.cascade}); this package only frames, seals and opens.
 *
 * <p>The first byte of every datagram says what it is; both values lie outside the RFC 7983 ranges
 * (STUN, DTLS, TURN, RTP), so a link could later share a media port with browsers.
 *
 * <h2>HELLO (type {@code 0xE0}): the key exchange</h2>
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  type = 0xE0  |  version = 1  |     flags     | id length n   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   node id (n bytes of UTF-8, 1..64) ...                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          link nonce (16 random bytes, new per link)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          sent at: Unix time in milliseconds (64 bits)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          X25519 ephemeral public key (32 bytes, RFC 7748)     |
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
 * (replayed). Both sides then share {@code X25519(ours, theirs)}; HKDF-SHA256 (RFC 5869) with the
 * cluster secret in the input key material, both nonces as salt and both node ids and public keys
 * in the info gives one AES-128 key and one 4-byte IV salt per direction. Flags bit 0, "answer
 * wanted", is set while the sender has no confirmation that the peer holds its keys; other bits
 * must be 0. A node answers a hello that has not seen its nonce or wants an answer; it is
 * confirmed, and may send DATA, once a hello of the peer's echoes its nonce, and resends its own
 * every 200 ms until then. A new nonce from the peer (it restarted) re-keys the link; a hello no
 * newer than the peer's current one, or of a nonce it replaced, is a replay.
 *
 * <h2>DATA (type {@code 0xE1}): one RTP or RTCP packet</h2>
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  type = 0xE1  |                                               |
 * +-+-+-+-+-+-+-+-+   sequence number (64 bits, from 0, per key)  +
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
 * the sequence number, so no IV repeats under a key. The receiver keeps a 1,024-datagram replay
 * window. The inner {@link eu.visio.media.relay.LinkHeader}: {@code kind} 0 RTP, 1 RTCP sender
 * report, 2 RTCP generic NACK, 3 RTCP PLI; {@code enc} the simulcast encoding index (RTP only, 0
 * otherwise); {@code channel} the track, numbered by the node that publishes it.
 *
 * <p>Cipher: the media module's allocation-free AES-GCM engine (OpenSSL through FFM after a
 * known-answer test, else JDK AES with our GHASH; {@code -Dvisio.srtp.gcm=jce} selects the JDK's
 * {@code AES/GCM}, which allocates about 1 KB per datagram because every JCE init needs a new
 * {@code GCMParameterSpec} and engine state).
 */
package eu.visio.media.relay;
