package eu.visio.media.relay;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayDeque;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One side of a link's authenticated ephemeral key exchange (see the package comment for the HELLO
 * layout and the rules): a nonce made for this link, an X25519 key pair per key epoch, hellos MACed
 * under the cluster secret, HKDF-SHA256 to one key per direction and epoch.
 *
 * <p>Re-keying: {@link #startRekey} (the link's timer or packet count) makes a fresh key pair for
 * the next epoch and our hellos carry it; the peer answers with a fresh pair of its own for that
 * epoch, so each epoch's keys come from two new ephemeral keys (forward secrecy between epochs).
 * {@link #keys} moves to the new epoch as soon as both public keys are known (the receiver opens
 * the new key at once), {@link #sendKeys} only once the peer showed it holds them too (its hello of
 * that epoch says {@code keyed}, or it has moved to the epoch after), so nothing is sealed under a
 * key the peer cannot open.
 *
 * <p>Threading: {@link #onHello} from one thread (the link's receive thread); {@link #startRekey},
 * {@link #writeHello}, {@link #settled} from any; they share a lock (hellos are rare). {@link
 * #keys}, {@link #sendKeys} and {@link #confirmed} read volatile fields, without the lock.
 */
public final class LinkHandshake {
  /** How far a hello's clock may be from ours (both ways). */
  public static final long MAX_SKEW_MILLIS = 30_000;

  /** The longest node id a hello carries, in UTF-8 bytes. */
  public static final int MAX_NODE_ID = 64;

  static final int VERSION = 2;

  /** Flags bit: the sender is not confirmed at its epoch yet and wants a hello back. */
  static final int FLAG_ANSWER_WANTED = 1;

  /**
   * Flags bit: the sender holds the receiver's public key of the hello's epoch (it has the keys).
   */
  static final int FLAG_KEYED = 2;

  static final int NONCE = 16;
  static final int EPOCH = 4;
  static final int PUBLIC_KEY = 32;
  static final int MAC = 32;

  /** Replaced peer nonces remembered, so a replay of an older hello cannot re-key the link. */
  private static final int REPLACED_REMEMBERED = 32;

  private static final byte[] HKDF_LABEL = "visio relay v2".getBytes(StandardCharsets.US_ASCII);

  /** What became of a hello. */
  public enum Outcome {
    /** The peer's first hello, or one with a new nonce (it restarted): new keys, epoch 0. */
    NEW_KEYS(null),
    /** A hello of the next epoch (a re-key, ours or the peer's): the next epoch's keys. */
    REKEYED(null),
    /** A hello of the current epoch again (a retransmission, a keepalive): nothing new. */
    REPEATED(null),
    MALFORMED(LinkDropReason.HELLO_MALFORMED),
    BAD_MAC(LinkDropReason.HELLO_BAD_MAC),
    STALE(LinkDropReason.HELLO_STALE),
    REPLAYED(LinkDropReason.HELLO_REPLAYED),
    REFLECTED(LinkDropReason.HELLO_REFLECTED),
    WRONG_PEER(LinkDropReason.HELLO_WRONG_PEER);

    private final LinkDropReason drop;

    Outcome(LinkDropReason drop) {
      this.drop = drop;
    }

    /** Why the hello was refused, or null when it was accepted. */
    public LinkDropReason drop() {
      return drop;
    }
  }

  private final byte[] localId;
  private final byte[] remoteId;
  private final boolean localFirst;
  private final SecretKeySpec macKey;
  private final byte[] secret;
  private final SecureRandom random;
  private final byte[] nonce = new byte[NONCE];

  // Written under the lock; the volatile ones read without it.
  private KeyPair ephemeral;
  private byte[] publicKey;
  private int epoch;
  private volatile byte[] peerNonce;
  private volatile LinkKeys keys;
  private volatile LinkKeys sending;
  private LinkKeys previous;
  private byte[] peerKey;
  private boolean replyDue;
  private long peerSentAt;
  private final ArrayDeque<byte[]> replaced = new ArrayDeque<>();

  /**
   * @param localNode this node's id
   * @param remoteNode the id of the node at the other end; hellos from any other are refused
   * @param clusterSecret the secret every node of the cluster shares (at least 32 bytes)
   * @param random the source of the nonce and of every epoch's key pair
   */
  public LinkHandshake(
      String localNode, String remoteNode, byte[] clusterSecret, SecureRandom random) {
    this.localId = nodeId(localNode);
    this.remoteId = nodeId(remoteNode);
    if (Arrays.equals(localId, remoteId)) {
      throw new IllegalArgumentException("a link joins two different nodes");
    }
    if (clusterSecret.length < 32) {
      throw new IllegalArgumentException("cluster secret shorter than 32 bytes");
    }
    this.localFirst = Arrays.compare(localId, remoteId) < 0;
    this.secret = clusterSecret.clone();
    this.macKey = new SecretKeySpec(secret, "HmacSHA256");
    this.random = random;
    random.nextBytes(nonce);
    newKeyPair();
  }

  private void newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
      g.initialize(NamedParameterSpec.X25519, random);
      this.ephemeral = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 unavailable", e);
    }
    this.publicKey = encodeU(((XECPublicKey) ephemeral.getPublic()).getU());
  }

  private static byte[] nodeId(String id) {
    byte[] b = id.getBytes(StandardCharsets.UTF_8);
    if (b.length == 0 || b.length > MAX_NODE_ID) {
      throw new IllegalArgumentException("node id must be 1 to 64 bytes: " + id);
    }
    return b;
  }

  /**
   * The newest keys, once a hello from the peer was accepted (null before): what the receiver
   * opens. During a re-key they are the new epoch's before {@link #sendKeys} are.
   */
  public LinkKeys keys() {
    return keys;
  }

  /**
   * The keys to seal under: the newest the peer is known to hold; null before, or after a reset.
   */
  public LinkKeys sendKeys() {
    return sending;
  }

  /** True once the peer showed that it holds keys of ours: DATA may flow (also while re-keying). */
  public boolean confirmed() {
    return sending != null;
  }

  /** True when the peer holds the keys of our current epoch: no exchange under way. */
  public synchronized boolean settled() {
    LinkKeys s = sending;
    return s != null && s == keys && s.epoch() == epoch;
  }

  /** Our current key epoch (ahead of {@link #keys} while a re-key we started is unanswered). */
  public synchronized int epoch() {
    return epoch;
  }

  /**
   * Starts a re-key: a fresh key pair for the next epoch, which our hellos carry from now on (send
   * one at once). Only when {@link #settled}; returns false otherwise (a re-key is under way, or
   * the link is not established).
   */
  public synchronized boolean startRekey() {
    if (!settled()) {
      return false;
    }
    newKeyPair();
    epoch++;
    return true;
  }

  /**
   * After {@link #onHello} (receive thread): true when the peer needs our hello now, because its
   * hello had not seen our nonce or asked for an answer (it is not confirmed at its epoch). Answers
   * never ask for an answer once we are settled, so hellos do not ping-pong.
   */
  public synchronized boolean replyDue() {
    return replyDue;
  }

  /** The size of our hello. */
  public int helloLength() {
    return 4 + localId.length + NONCE + 8 + EPOCH + PUBLIC_KEY + NONCE + MAC;
  }

  /**
   * Writes our hello at {@code out[off]} (stamped {@code nowMillis}, echoing the peer's nonce when
   * we have it); returns its length. Allocates (the MAC): hellos are rare.
   */
  public synchronized int writeHello(byte[] out, int off, long nowMillis) {
    LinkKeys k = keys;
    int flags =
        (settled() ? 0 : FLAG_ANSWER_WANTED) | (k != null && k.epoch() == epoch ? FLAG_KEYED : 0);
    int p = off;
    out[p++] = (byte) LinkDatagram.TYPE_HELLO;
    out[p++] = VERSION;
    out[p++] = (byte) flags;
    out[p++] = (byte) localId.length;
    System.arraycopy(localId, 0, out, p, localId.length);
    p += localId.length;
    System.arraycopy(nonce, 0, out, p, NONCE);
    p += NONCE;
    LinkDatagram.putLong(out, p, nowMillis);
    p += 8;
    LinkDatagram.putInt(out, p, epoch);
    p += EPOCH;
    System.arraycopy(publicKey, 0, out, p, PUBLIC_KEY);
    p += PUBLIC_KEY;
    byte[] echo = peerNonce;
    if (echo != null) {
      System.arraycopy(echo, 0, out, p, NONCE);
    } else {
      Arrays.fill(out, p, p + NONCE, (byte) 0);
    }
    p += NONCE;
    byte[] mac = mac(out, off, p - off);
    System.arraycopy(mac, 0, out, p, MAC);
    return p + MAC - off;
  }

  /** Handles a hello from the wire (receive thread). Never throws. */
  public synchronized Outcome onHello(byte[] buf, int off, int len, long nowMillis) {
    replyDue = false;
    if (len < 4 || (buf[off] & 0xFF) != LinkDatagram.TYPE_HELLO || buf[off + 1] != VERSION) {
      return Outcome.MALFORMED;
    }
    int flags = buf[off + 2] & 0xFF;
    int idLen = buf[off + 3] & 0xFF;
    if ((flags & ~(FLAG_ANSWER_WANTED | FLAG_KEYED)) != 0
        || idLen == 0
        || idLen > MAX_NODE_ID
        || len != 4 + idLen + NONCE + 8 + EPOCH + PUBLIC_KEY + NONCE + MAC) {
      return Outcome.MALFORMED;
    }
    int macAt = off + len - MAC;
    byte[] expected = mac(buf, off, len - MAC);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(buf, macAt, macAt + MAC))) {
      return Outcome.BAD_MAC;
    }
    int p = off + 4;
    byte[] id = Arrays.copyOfRange(buf, p, p + idLen);
    p += idLen;
    byte[] theirNonce = Arrays.copyOfRange(buf, p, p + NONCE);
    p += NONCE;
    long sentAt = LinkDatagram.getLong(buf, p);
    p += 8;
    int theirEpoch = LinkDatagram.getInt(buf, p);
    p += EPOCH;
    byte[] theirKey = Arrays.copyOfRange(buf, p, p + PUBLIC_KEY);
    p += PUBLIC_KEY;
    byte[] echo = Arrays.copyOfRange(buf, p, p + NONCE);
    if (Arrays.equals(id, localId) || Arrays.equals(theirNonce, nonce)) {
      return Outcome.REFLECTED;
    }
    if (!Arrays.equals(id, remoteId)) {
      return Outcome.WRONG_PEER;
    }
    if (Math.abs(nowMillis - sentAt) > MAX_SKEW_MILLIS) {
      return Outcome.STALE;
    }
    boolean echoesUs = Arrays.equals(echo, nonce);
    boolean answerWanted = (flags & FLAG_ANSWER_WANTED) != 0;
    boolean theyHoldKeys = (flags & FLAG_KEYED) != 0;
    byte[] current = peerNonce;
    if (current == null || !Arrays.equals(current, theirNonce)) {
      return newSession(
          current, theirNonce, sentAt, theirEpoch, theirKey, echoesUs, theyHoldKeys, answerWanted);
    }
    LinkKeys k = keys;
    int held = k.epoch();
    if (theirEpoch == held) {
      if (!Arrays.equals(theirKey, peerKey)) {
        return Outcome.REPLAYED; // not the key this epoch was made of
      }
      confirm(theirEpoch, echoesUs, theyHoldKeys, answerWanted);
      return Outcome.REPEATED;
    }
    if (theirEpoch != held + 1) {
      return Outcome.REPLAYED; // an older epoch's hello (its keys are gone), or out of step
    }
    // A peer at the next epoch holds the current one's keys: confirmed at it, whatever came before.
    if (echoesUs && sending != k) {
      sending = k;
    }
    if (epoch == held) {
      newKeyPair(); // the peer started the re-key: our share of the next epoch
      epoch = held + 1;
    }
    LinkKeys next;
    try {
      next = derive(theirNonce, theirKey, epoch);
    } catch (GeneralSecurityException | RuntimeException e) {
      return Outcome.MALFORMED; // not a usable X25519 key (e.g. of small order)
    }
    if (previous != null && previous != sending) {
      previous.destroy(); // two epochs old: no sealer or opener is made from it any more
    }
    previous = k;
    keys = next;
    peerKey = theirKey;
    confirm(theirEpoch, echoesUs, theyHoldKeys, answerWanted);
    return Outcome.REKEYED;
  }

  /** A hello with a nonce new to us: the peer's first, or its first since it restarted. */
  private Outcome newSession(
      byte[] current,
      byte[] theirNonce,
      long sentAt,
      int theirEpoch,
      byte[] theirKey,
      boolean echoesUs,
      boolean theyHoldKeys,
      boolean answerWanted) {
    if ((current != null && sentAt <= peerSentAt) || wasReplaced(theirNonce)) {
      return Outcome.REPLAYED; // an older hello of the peer's: its keys are gone
    }
    if (theirEpoch != 0) {
      // Of a session before ours (we restarted): the peer starts over at epoch 0 once it has
      // our hello.
      return Outcome.STALE;
    }
    LinkKeys k;
    try {
      k = derive(theirNonce, theirKey, 0);
    } catch (GeneralSecurityException | RuntimeException e) {
      return Outcome.MALFORMED; // not a usable X25519 key (e.g. of small order)
    }
    if (current != null) {
      replaced.addLast(current);
      if (replaced.size() > REPLACED_REMEMBERED) {
        replaced.removeFirst();
      }
    }
    // Our current key pair carries on as epoch 0 of the new session: a hello of ours in flight
    // then still agrees with what we derive.
    for (LinkKeys old : new LinkKeys[] {previous, keys}) {
      if (old != null) {
        old.destroy();
      }
    }
    previous = null;
    epoch = 0;
    peerSentAt = sentAt;
    sending = null;
    keys = k;
    peerKey = theirKey;
    peerNonce = theirNonce;
    confirm(0, echoesUs, theyHoldKeys, answerWanted);
    return Outcome.NEW_KEYS;
  }

  private void confirm(
      int theirEpoch, boolean echoesUs, boolean theyHoldKeys, boolean answerWanted) {
    LinkKeys k = keys;
    if (echoesUs && theyHoldKeys && theirEpoch == k.epoch() && sending != k) {
      sending = k;
    }
    replyDue = !echoesUs || answerWanted;
  }

  private boolean wasReplaced(byte[] n) {
    for (byte[] r : replaced) {
      if (Arrays.equals(r, n)) {
        return true;
      }
    }
    return false;
  }

  private LinkKeys derive(byte[] theirNonce, byte[] theirKey, int keyEpoch)
      throws GeneralSecurityException {
    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(ephemeral.getPrivate());
    ka.doPhase(decodeU(theirKey), true);
    byte[] shared = ka.generateSecret();
    byte[] salt = localFirst ? concat(nonce, theirNonce) : concat(theirNonce, nonce);
    byte[] prk = hmac(salt, concat(shared, secret));
    Arrays.fill(shared, (byte) 0);
    byte[] firstKey = localFirst ? publicKey : theirKey;
    byte[] secondKey = localFirst ? theirKey : publicKey;
    byte[] out = expand(prk, keyEpoch, localId, remoteId, firstKey, secondKey);
    byte[] in = expand(prk, keyEpoch, remoteId, localId, firstKey, secondKey);
    Arrays.fill(prk, (byte) 0);
    return new LinkKeys(
        keyEpoch,
        Arrays.copyOf(out, 16),
        Arrays.copyOfRange(out, 16, 20),
        Arrays.copyOf(in, 16),
        Arrays.copyOfRange(in, 16, 20));
  }

  /**
   * HKDF-Expand (RFC 5869 §2.3), one block: the key and salt of the direction from → to in {@code
   * keyEpoch}.
   */
  private static byte[] expand(
      byte[] prk, int keyEpoch, byte[] from, byte[] to, byte[] first, byte[] second)
      throws GeneralSecurityException {
    byte[] epochBytes = new byte[EPOCH];
    LinkDatagram.putInt(epochBytes, 0, keyEpoch);
    byte[] info =
        concat(
            HKDF_LABEL,
            epochBytes,
            new byte[] {(byte) from.length},
            from,
            new byte[] {(byte) to.length},
            to,
            first,
            second,
            new byte[] {1});
    return hmac(prk, info);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key, "HmacSHA256"));
    return m.doFinal(data);
  }

  private byte[] mac(byte[] b, int off, int len) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(macKey);
      m.update(b, off, len);
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** RFC 7748 §5: the u-coordinate as 32 little-endian bytes. */
  private static byte[] encodeU(BigInteger u) {
    byte[] be = u.toByteArray();
    byte[] le = new byte[PUBLIC_KEY];
    for (int i = 0; i < PUBLIC_KEY && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  private static PublicKey decodeU(byte[] le) throws GeneralSecurityException {
    byte[] be = new byte[PUBLIC_KEY];
    for (int i = 0; i < PUBLIC_KEY; i++) {
      be[i] = le[PUBLIC_KEY - 1 - i];
    }
    be[0] &= 0x7F; // RFC 7748 §5: the top bit of the last byte is ignored
    return KeyFactory.getInstance("XDH")
        .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
  }

  @Override
  public String toString() {
    return "LinkHandshake[" + new String(localId, StandardCharsets.UTF_8) + "]";
  }
}
