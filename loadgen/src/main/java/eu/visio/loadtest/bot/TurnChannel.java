package eu.visio.loadtest.bot;

import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunCredentials;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The client side of one TURN allocation over UDP (RFC 8656) with one channel to one peer, as a
 * browser relays its media to the SFU: Allocate (answering the 401 challenge with long-term
 * credentials, RFC 8489 §9.2), CreatePermission and ChannelBind toward the peer, then every
 * datagram to the peer goes as ChannelData (§12.5) and ChannelData from it is unwrapped. Refreshes
 * the allocation at half its lifetime and the channel (which refreshes the permission, §12.2)
 * before the permission's five minutes are up; a 438 answer (stale nonce) is retried with the new
 * nonce. Requests are retransmitted until answered or given up.
 *
 * <p>Loop thread only. The data path allocates nothing: {@link #wrap} writes the 4-byte header and
 * the payload into the caller's buffer, and {@link #onDatagram} moves the payload to the start of
 * the receive array in place. Requests (a few per minute) may allocate.
 */
final class TurnChannel {
  /** ChannelData header: channel number and length, two bytes each (§12.4). */
  static final int HEADER = 4;

  /** The one channel: the first of RFC 8656's range (§12), as browsers count. */
  static final int CHANNEL = 0x4000;

  /** UDP in REQUESTED-TRANSPORT: protocol 17 in the first byte, three RFFU bytes (§18.11). */
  private static final long REQUESTED_UDP = 17L << 24;

  private static final long RESEND_NANOS = 200_000_000L;
  private static final int MAX_TRIES = 25;

  /** Permissions live 300 s (§9): rebinding the channel at 240 s keeps both. */
  private static final long REBIND_NANOS = 240_000_000_000L;

  /** Where requests go: the TURN server, as they are (not as ChannelData). */
  interface Output {
    void send(byte[] b, int len);
  }

  private enum Step {
    NONE,
    ALLOCATE,
    PERMIT,
    BIND,
    REFRESH,
    REBIND
  }

  private final TurnRoute route;
  private final InetSocketAddress peer;
  private final Output out;
  private final Consumer<String> failed;
  private final StunWriter writer = new StunWriter();
  private final StunMessage in = new StunMessage();
  private final byte[] request = new byte[512];
  private final byte[] txId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
  private Step pending = Step.NONE;
  private int tries;
  private long resendAt;
  private String realm;
  private String nonce;
  private StunIntegrity integrity;
  private InetSocketAddress relayed;
  private long refreshAt = Long.MAX_VALUE;
  private long rebindAt = Long.MAX_VALUE;
  private boolean bound;
  private String failure;
  private int refreshes;

  /**
   * @param peer where the channel leads (the SFU's media address); the server's relay policy must
   *     allow it
   * @param failed told once why the allocation failed (refused, or never answered)
   */
  TurnChannel(TurnRoute route, InetSocketAddress peer, Output out, Consumer<String> failed) {
    this.route = route;
    this.peer = peer;
    this.out = out;
    this.failed = failed;
  }

  /** Whether the channel is bound: datagrams may be {@linkplain #wrap wrapped} and sent. */
  boolean ready() {
    return bound;
  }

  /** Why it failed, or null. */
  String failure() {
    return failure;
  }

  /** The relayed transport address the server allocated, or null before. */
  InetSocketAddress relayed() {
    return relayed;
  }

  /** Refreshes of the allocation the server has answered. */
  int refreshes() {
    return refreshes;
  }

  /** Starts the Allocate, retransmits and refreshes; returns when to be called next. */
  long tick(long now) {
    if (failure != null) {
      return Long.MAX_VALUE;
    }
    if (pending == Step.NONE) {
      if (relayed == null) {
        begin(Step.ALLOCATE, now);
      } else if (now >= refreshAt) {
        begin(Step.REFRESH, now);
      } else if (now >= rebindAt) {
        begin(Step.REBIND, now);
      }
    }
    if (pending != Step.NONE && now >= resendAt) {
      if (tries >= MAX_TRIES) {
        fail(pending + " unanswered after " + tries + " tries");
        return Long.MAX_VALUE;
      }
      sendRequest();
      tries++;
      resendAt = now + RESEND_NANOS;
    }
    return pending != Step.NONE ? resendAt : Math.min(refreshAt, rebindAt);
  }

  /**
   * One datagram from the TURN server in {@code b[0..len)}. ChannelData on our channel: returns the
   * payload's length, the payload moved to {@code b[0..)}. A response to our request: handled,
   * returns -1. Anything else: dropped, -1.
   */
  int onDatagram(byte[] b, int len, long now) {
    int n = payloadLength(b, len, CHANNEL);
    if (n >= 0) {
      System.arraycopy(b, HEADER, b, 0, n);
      return n;
    }
    if (len > 0 && (b[0] & 0xC0) == 0 && in.tryWrap(b, 0, len)) {
      onResponse(now);
    }
    return -1;
  }

  /**
   * Writes {@code b[0..len)} as ChannelData on our channel into {@code tx} from its position (no
   * padding: over UDP it is optional, §12.5).
   */
  void wrap(ByteBuffer tx, byte[] b, int len) {
    putHeader(tx, CHANNEL, len);
    tx.put(b, 0, len);
  }

  /** A ChannelData header: channel {@code number}, payload length {@code len}. */
  static void putHeader(ByteBuffer dst, int number, int len) {
    dst.putShort((short) number).putShort((short) len);
  }

  /**
   * The payload length of ChannelData on channel {@code number} in {@code b[0..len)}, or -1 if it
   * is not that (another channel, STUN, or a length field beyond the datagram). Bytes after the
   * payload (padding) are allowed.
   */
  static int payloadLength(byte[] b, int len, int number) {
    if (len < HEADER || ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) != number) {
      return -1;
    }
    int n = (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    return n <= len - HEADER ? n : -1;
  }

  /** Sends {@code step}'s request now, under a new transaction id. */
  private void begin(Step step, long now) {
    pending = step;
    ThreadLocalRandom.current().nextBytes(txId);
    sendRequest();
    tries = 1;
    resendAt = now + RESEND_NANOS;
  }

  /** The pending request, with the same transaction id on each retransmission (RFC 8489 §6.2.1). */
  private void sendRequest() {
    int method =
        switch (pending) {
          case ALLOCATE -> StunMethod.ALLOCATE;
          case PERMIT -> StunMethod.CREATE_PERMISSION;
          case BIND, REBIND -> StunMethod.CHANNEL_BIND;
          case REFRESH -> StunMethod.REFRESH;
          case NONE -> throw new IllegalStateException("no request pending");
        };
    writer.start(request, 0, request.length, StunClass.REQUEST, method, txId, 0);
    switch (pending) {
      case ALLOCATE -> writer.addUint32(StunAttribute.REQUESTED_TRANSPORT, REQUESTED_UDP);
      case PERMIT ->
          writer.addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort());
      case BIND, REBIND ->
          writer
              .addUint32(StunAttribute.CHANNEL_NUMBER, (long) CHANNEL << 16)
              .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort());
      default -> {}
    }
    if (integrity != null) {
      writer
          .addText(StunAttribute.USERNAME, route.username())
          .addText(StunAttribute.REALM, realm)
          .addText(StunAttribute.NONCE, nonce)
          .addMessageIntegrity(integrity);
    }
    out.send(request, writer.addFingerprint().finish());
  }

  private void onResponse(long now) {
    if (pending == Step.NONE || !in.transactionIdEquals(txId, 0)) {
      return; // a late answer to a retransmission, or not ours
    }
    StunClass cls = in.messageClass();
    if (cls == StunClass.ERROR_RESPONSE) {
      onError(now);
    } else if (cls == StunClass.SUCCESS_RESPONSE) {
      if (integrity == null || !in.verifyMessageIntegrity(integrity)) {
        return; // not signed with our key: not the server's answer; the retransmission goes on
      }
      onSuccess(now);
    }
  }

  private void onError(long now) {
    int code = in.errorCode();
    String r = in.realm();
    String n = in.nonce();
    boolean challenge = code == StunErrorCode.UNAUTHENTICATED && integrity == null;
    if ((challenge || code == StunErrorCode.STALE_NONCE) && r != null && n != null) {
      if (challenge) {
        realm = r;
        integrity =
            new StunIntegrity(StunCredentials.longTermKey(route.username(), r, route.password()));
      }
      nonce = n;
      begin(pending, now); // again, signed
      return;
    }
    fail(pending + " refused: " + code + " " + in.errorReason());
  }

  private void onSuccess(long now) {
    switch (pending) {
      case ALLOCATE -> {
        relayed = in.address(StunAttribute.XOR_RELAYED_ADDRESS);
        if (relayed == null) {
          fail("Allocate answered without XOR-RELAYED-ADDRESS");
          return;
        }
        refreshAt = now + lifetimeNanos() / 2;
        begin(Step.PERMIT, now);
      }
      case PERMIT -> begin(Step.BIND, now);
      case BIND -> {
        bound = true;
        rebindAt = now + REBIND_NANOS;
        pending = Step.NONE;
      }
      case REBIND -> {
        rebindAt = now + REBIND_NANOS;
        pending = Step.NONE;
      }
      case REFRESH -> {
        refreshes++;
        refreshAt = now + lifetimeNanos() / 2;
        pending = Step.NONE;
      }
      case NONE -> {}
    }
  }

  /** LIFETIME of the answer (seconds, §18.2), in nanoseconds; 600 s if absent. */
  private long lifetimeNanos() {
    int i = in.indexOf(StunAttribute.LIFETIME);
    if (i < 0 || in.attributeValueLength(i) != 4) {
      return 600_000_000_000L;
    }
    byte[] b = in.buffer();
    int v = in.attributeValueOffset(i);
    long s =
        (b[v] & 0xFFL) << 24 | (b[v + 1] & 0xFF) << 16 | (b[v + 2] & 0xFF) << 8 | (b[v + 3] & 0xFF);
    return s * 1_000_000_000L;
  }

  private void fail(String reason) {
    if (failure == null) {
      failure = "TURN " + reason;
      pending = Step.NONE;
      failed.accept(failure);
    }
  }
}
