package eu.visio.media.turn;

import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunCredentials;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * TURN requests on the server's event loop: the long-term credential mechanism (RFC 8489 §9.2.4,
 * RFC 8656 §7.2 and §8), then Allocate (§7.2), Refresh (§8.2), CreatePermission (§10.2),
 * ChannelBind (§12.2) and, as RFC 8656 §2 suggests, plain Binding (RFC 8489). Allocates per request
 * (credentials, nonces, addresses): requests are rate limited and rare next to data.
 */
final class TurnRequests {
  /** UDP in REQUESTED-TRANSPORT (RFC 8656 §18.11: an IANA protocol number). */
  private static final int UDP = 17;

  private final TurnServer server;
  private final TurnConfig config;
  private final TurnCounters counters;
  private final StunWriter writer = new StunWriter();
  private final byte[] out;
  private final byte[] realm;
  private final byte[] software;

  /** Who sent an authenticated request, and the key its answer is signed with. */
  private record Auth(String username, StunIntegrity integrity) {}

  TurnRequests(TurnServer server) {
    this.server = server;
    this.config = server.config();
    this.counters = server.counters();
    this.realm = config.realm().getBytes(StandardCharsets.UTF_8);
    this.software = config.software().getBytes(StandardCharsets.UTF_8);
    // The largest answer: header, ERROR-CODE, 16 UNKNOWN-ATTRIBUTES or two addresses, REALM,
    // NONCE, SOFTWARE, MESSAGE-INTEGRITY, FINGERPRINT.
    this.out = new byte[512 + realm.length + software.length];
  }

  void onRequest(ClientLink link, StunMessage m) {
    long now = System.nanoTime();
    if (!server.requestLimits().tryAcquire(link.remote.getAddress(), now)) {
      counters.add(TurnReason.RATE_LIMITED);
      return;
    }
    int method = m.method();
    if (method == StunMethod.BINDING) {
      start(m, StunClass.SUCCESS_RESPONSE)
          .addXorAddress(
              StunAttribute.XOR_MAPPED_ADDRESS, link.remote.getAddress(), link.remote.getPort());
      send(link, m, null);
      return;
    }
    if (method != StunMethod.ALLOCATE
        && method != StunMethod.REFRESH
        && method != StunMethod.CREATE_PERMISSION
        && method != StunMethod.CHANNEL_BIND) {
      counters.add(TurnReason.UNSUPPORTED_METHOD);
      error(link, m, StunErrorCode.BAD_REQUEST, null);
      return;
    }
    if (method == StunMethod.ALLOCATE
        && m.hasMessageIntegrity()
        && link.allocation == null
        && !server.allocationLimits().tryAcquire(link.remote.getAddress(), now)) {
      counters.add(TurnReason.ALLOCATION_RATE_LIMITED);
      return;
    }
    Auth auth = authenticate(link, m);
    if (auth == null) {
      return;
    }
    if (refuseUnknown(link, m, auth)) {
      return;
    }
    if (method == StunMethod.ALLOCATE) {
      allocate(link, m, auth);
      return;
    }
    Allocation a = link.allocation;
    if (a == null) {
      refuse(link, m, StunErrorCode.ALLOCATION_MISMATCH, auth, TurnReason.ALLOCATION_MISMATCH);
    } else if (!a.username.equals(auth.username)) {
      refuse(link, m, StunErrorCode.WRONG_CREDENTIALS, auth, TurnReason.WRONG_CREDENTIALS);
    } else if (method == StunMethod.REFRESH) {
      refresh(link, m, a);
    } else if (method == StunMethod.CREATE_PERMISSION) {
      createPermission(link, m, a, now);
    } else {
      channelBind(link, m, a, now);
    }
  }

  /**
   * RFC 8489 §9.2.4 in order: no MESSAGE-INTEGRITY → 401 challenge; missing USERNAME, REALM or
   * NONCE → 400; a username not of the REST form, another realm or a bad MAC → 401; an expired
   * username → 401; a nonce that is not ours, not for this address or too old → 438 with a new one.
   * Null when a refusal was sent.
   */
  private Auth authenticate(ClientLink link, StunMessage m) {
    if (!m.hasMessageIntegrity()) {
      refuse(link, m, StunErrorCode.UNAUTHENTICATED, null, TurnReason.CHALLENGED);
      return null;
    }
    String username = m.username();
    String nonce = m.nonce();
    if (username == null || nonce == null || !m.has(StunAttribute.REALM)) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, null, TurnReason.BAD_REQUEST);
      return null;
    }
    if (TurnCredentials.expiry(username) < 0
        || !m.valueEquals(StunAttribute.REALM, realm, 0, realm.length)) {
      refuse(link, m, StunErrorCode.UNAUTHENTICATED, null, TurnReason.BAD_CREDENTIALS);
      return null;
    }
    Allocation a = link.allocation;
    StunIntegrity integrity =
        a != null && a.username.equals(username)
            ? a.integrity
            : new StunIntegrity(
                StunCredentials.longTermKey(
                    username, config.realm(), server.credentials().password(username)));
    if (!m.verifyMessageIntegrity(integrity)) {
      refuse(link, m, StunErrorCode.UNAUTHENTICATED, null, TurnReason.BAD_CREDENTIALS);
      return null;
    }
    if (!server.credentials().isCurrent(username)) {
      refuse(link, m, StunErrorCode.UNAUTHENTICATED, null, TurnReason.EXPIRED_USERNAME);
      return null;
    }
    Auth auth = new Auth(username, integrity);
    if (!server.nonces().isValid(nonce, link.remote.getAddress())) {
      refuse(link, m, StunErrorCode.STALE_NONCE, auth, TurnReason.STALE_NONCE);
      return null;
    }
    return auth;
  }

  /** RFC 8489 §7.3.1: comprehension-required attributes we do not implement → 420. */
  private boolean refuseUnknown(ClientLink link, StunMessage m, Auth auth) {
    List<Integer> unknown = null;
    for (int i = 0; i < m.attributeCount(); i++) {
      int type = m.attributeType(i);
      // At most 16 listed, so the answer fits its buffer whatever the request holds.
      if (StunAttribute.isComprehensionRequired(type)
          && !known(type)
          && (unknown == null || unknown.size() < 16)) {
        if (unknown == null) {
          unknown = new ArrayList<>();
        }
        unknown.add(type);
      }
    }
    if (unknown == null) {
      return false;
    }
    counters.add(TurnReason.UNKNOWN_ATTRIBUTE);
    byte[] types = new byte[unknown.size() * 2];
    for (int i = 0; i < unknown.size(); i++) {
      types[2 * i] = (byte) (unknown.get(i) >>> 8);
      types[2 * i + 1] = (byte) (int) unknown.get(i);
    }
    start(m, StunClass.ERROR_RESPONSE)
        .addErrorCode(StunErrorCode.UNKNOWN_ATTRIBUTE)
        .addBytes(StunAttribute.UNKNOWN_ATTRIBUTES, types, 0, types.length);
    send(link, m, auth.integrity);
    return true;
  }

  private static boolean known(int type) {
    return switch (type) {
      case StunAttribute.USERNAME,
          StunAttribute.MESSAGE_INTEGRITY,
          StunAttribute.MESSAGE_INTEGRITY_SHA256,
          StunAttribute.REALM,
          StunAttribute.NONCE,
          StunAttribute.LIFETIME,
          StunAttribute.REQUESTED_TRANSPORT,
          StunAttribute.REQUESTED_ADDRESS_FAMILY,
          StunAttribute.EVEN_PORT,
          StunAttribute.XOR_PEER_ADDRESS,
          StunAttribute.CHANNEL_NUMBER,
          StunAttribute.DATA ->
          true;
      default -> false;
    };
  }

  /** RFC 8656 §7.2. */
  private void allocate(ClientLink link, StunMessage m, Auth auth) {
    Allocation a = link.allocation;
    if (a != null) {
      if (m.transactionIdEquals(a.transactionId, 0) && a.username.equals(auth.username)) {
        allocated(link, a, m.hasFingerprint()); // a retransmission: the same answer again
      } else {
        refuse(link, m, StunErrorCode.ALLOCATION_MISMATCH, auth, TurnReason.ALLOCATION_MISMATCH);
      }
      return;
    }
    if (link.pendingAllocate != null) {
      return; // the relay socket is being bound; the answer will follow
    }
    int transport = m.indexOf(StunAttribute.REQUESTED_TRANSPORT);
    if (transport < 0 || m.attributeValueLength(transport) != 4) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, auth, TurnReason.BAD_REQUEST);
      return;
    }
    if ((m.buffer()[m.attributeValueOffset(transport)] & 0xFF) != UDP) {
      refuse(
          link,
          m,
          StunErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL,
          auth,
          TurnReason.UNSUPPORTED_TRANSPORT);
      return;
    }
    int family = m.indexOf(StunAttribute.REQUESTED_ADDRESS_FAMILY);
    if (family >= 0) {
      int f = m.attributeValueLength(family) == 4 ? m.buffer()[m.attributeValueOffset(family)] : 0;
      int ours = config.relayAddress() instanceof Inet4Address ? 1 : 2;
      if (f != ours) {
        refuse(
            link, m, StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, auth, TurnReason.ADDRESS_FAMILY);
        return;
      }
    }
    // EVEN-PORT (§7.2, §18.6): an even relay port. Its R bit asks to reserve the next port for
    // RTCP; we do not (browsers multiplex RTCP, RFC 8843), as the RFC's SHOULD allows, and send no
    // RESERVATION-TOKEN.
    int evenPort = m.indexOf(StunAttribute.EVEN_PORT);
    if (evenPort >= 0 && m.attributeValueLength(evenPort) != 1) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, auth, TurnReason.BAD_REQUEST);
      return;
    }
    String identity = TurnCredentials.identity(auth.username);
    int code = server.reserve(identity);
    if (code != 0) {
      refuse(
          link,
          m,
          code,
          auth,
          code == StunErrorCode.ALLOCATION_QUOTA_REACHED
              ? TurnReason.USER_QUOTA
              : TurnReason.CAPACITY);
      return;
    }
    long lifetime = lifetime(m, false);
    byte[] txId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    m.copyTransactionId(txId, 0);
    boolean fingerprint = m.hasFingerprint();
    link.pendingAllocate = txId;
    server.bindRelay(
        link,
        auth.username,
        auth.integrity,
        txId,
        lifetime,
        evenPort >= 0,
        created -> allocated(link, created, fingerprint),
        () -> {
          server.release(identity);
          counters.add(TurnReason.RELAY_BIND_FAILED);
          writer.start(out, 0, out.length, StunClass.ERROR_RESPONSE, StunMethod.ALLOCATE, txId, 0);
          writer.addErrorCode(StunErrorCode.INSUFFICIENT_CAPACITY);
          finish(link, auth.integrity, fingerprint);
        });
  }

  /** The success answer to Allocate: relayed and mapped addresses, lifetime (§7.3). */
  private void allocated(ClientLink link, Allocation a, boolean fingerprint) {
    writer.start(
        out, 0, out.length, StunClass.SUCCESS_RESPONSE, StunMethod.ALLOCATE, a.transactionId, 0);
    writer
        .addXorAddress(
            StunAttribute.XOR_RELAYED_ADDRESS, a.relayed.getAddress(), a.relayed.getPort())
        .addUint32(StunAttribute.LIFETIME, a.secondsLeft(System.nanoTime()))
        .addXorAddress(
            StunAttribute.XOR_MAPPED_ADDRESS, link.remote.getAddress(), link.remote.getPort());
    finish(link, a.integrity, fingerprint);
  }

  /**
   * The lifetime granted (§7.2 step 8, §8.2): the client's LIFETIME capped at the maximum but never
   * below the default; for Refresh a LIFETIME of 0 is kept (it deletes the allocation).
   */
  private long lifetime(StunMessage m, boolean refresh) {
    long def = config.defaultLifetime().toSeconds();
    int i = m.indexOf(StunAttribute.LIFETIME);
    if (i < 0 || m.attributeValueLength(i) != 4) {
      return def;
    }
    int v = m.attributeValueOffset(i);
    byte[] b = m.buffer();
    long requested =
        ((b[v] & 0xFFL) << 24)
            | ((b[v + 1] & 0xFF) << 16)
            | ((b[v + 2] & 0xFF) << 8)
            | (b[v + 3] & 0xFF);
    if (refresh && requested == 0) {
      return 0;
    }
    return Math.max(def, Math.min(requested, config.maxLifetime().toSeconds()));
  }

  /** RFC 8656 §8.2. */
  private void refresh(ClientLink link, StunMessage m, Allocation a) {
    long lifetime = lifetime(m, true);
    if (lifetime == 0) {
      server.deleteAllocation(a);
    } else {
      server.extend(a, lifetime);
    }
    start(m, StunClass.SUCCESS_RESPONSE).addUint32(StunAttribute.LIFETIME, lifetime);
    send(link, m, a.integrity);
  }

  /** RFC 8656 §10.2: every XOR-PEER-ADDRESS must pass, or none is installed. */
  private void createPermission(ClientLink link, StunMessage m, Allocation a, long now) {
    List<InetSocketAddress> peers = new ArrayList<>(2);
    for (int i = 0; i < m.attributeCount(); i++) {
      if (m.attributeType(i) == StunAttribute.XOR_PEER_ADDRESS) {
        peers.add(m.addressAt(i));
      }
    }
    if (peers.isEmpty()) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, authOf(a), TurnReason.BAD_REQUEST);
      return;
    }
    for (InetSocketAddress peer : peers) {
      if (!checkPeer(link, m, a, peer)) {
        return;
      }
    }
    long until = now + config.permissionLifetime().toNanos();
    for (InetSocketAddress peer : peers) {
      a.permit(peer.getAddress(), now, until);
    }
    start(m, StunClass.SUCCESS_RESPONSE);
    send(link, m, a.integrity);
  }

  /** RFC 8656 §12.2: a binding also installs or refreshes the peer's permission. */
  private void channelBind(ClientLink link, StunMessage m, Allocation a, long now) {
    int c = m.indexOf(StunAttribute.CHANNEL_NUMBER);
    InetSocketAddress peer = m.address(StunAttribute.XOR_PEER_ADDRESS);
    if (c < 0 || m.attributeValueLength(c) != 4 || peer == null) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, authOf(a), TurnReason.BAD_REQUEST);
      return;
    }
    int v = m.attributeValueOffset(c);
    int number = ((m.buffer()[v] & 0xFF) << 8) | (m.buffer()[v + 1] & 0xFF);
    if (number < 0x4000 || number > config.maxChannel()) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, authOf(a), TurnReason.BAD_CHANNEL);
      return;
    }
    if (!checkPeer(link, m, a, peer)) {
      return;
    }
    if (!a.bind(number, peer, now, now + config.channelLifetime().toNanos(), config.maxChannel())) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, authOf(a), TurnReason.BAD_CHANNEL);
      return;
    }
    a.permit(peer.getAddress(), now, now + config.permissionLifetime().toNanos());
    start(m, StunClass.SUCCESS_RESPONSE);
    send(link, m, a.integrity);
  }

  /** The peer's family must match the relay's (443) and the policy must allow it (403). */
  private boolean checkPeer(ClientLink link, StunMessage m, Allocation a, InetSocketAddress peer) {
    if (peer == null) {
      refuse(link, m, StunErrorCode.BAD_REQUEST, authOf(a), TurnReason.BAD_REQUEST);
      return false;
    }
    if ((peer.getAddress() instanceof Inet4Address)
        != (a.relayed.getAddress() instanceof Inet4Address)) {
      refuse(
          link,
          m,
          StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH,
          authOf(a),
          TurnReason.FORBIDDEN_PEER);
      return false;
    }
    if (!config.policy().allows(peer)) {
      refuse(link, m, StunErrorCode.FORBIDDEN, authOf(a), TurnReason.FORBIDDEN_PEER);
      return false;
    }
    return true;
  }

  private static Auth authOf(Allocation a) {
    return new Auth(a.username, a.integrity);
  }

  /**
   * An error answer, counted. 401 and 438 carry REALM and NONCE (RFC 8489 §9.2.4); an answer to an
   * authenticated request is signed with its key, a challenge is not.
   */
  private void refuse(ClientLink link, StunMessage m, int code, Auth auth, TurnReason reason) {
    counters.add(reason);
    error(link, m, code, auth);
  }

  private void error(ClientLink link, StunMessage m, int code, Auth auth) {
    start(m, StunClass.ERROR_RESPONSE).addErrorCode(code);
    if (code == StunErrorCode.UNAUTHENTICATED || code == StunErrorCode.STALE_NONCE) {
      writer
          .addBytes(StunAttribute.REALM, realm, 0, realm.length)
          .addText(StunAttribute.NONCE, server.nonces().issue(link.remote.getAddress()));
    }
    send(link, m, auth == null ? null : auth.integrity);
  }

  private StunWriter start(StunMessage m, StunClass cls) {
    return writer.startResponse(out, 0, out.length, cls, m);
  }

  private void send(ClientLink link, StunMessage request, StunIntegrity integrity) {
    finish(link, integrity, request.hasFingerprint());
  }

  /** SOFTWARE (RFC 8489 §14.14), MESSAGE-INTEGRITY if signed, FINGERPRINT if the client used it. */
  private void finish(ClientLink link, StunIntegrity integrity, boolean fingerprint) {
    writer.addBytes(StunAttribute.SOFTWARE, software, 0, software.length);
    if (integrity != null) {
      writer.addMessageIntegrity(integrity);
    }
    if (fingerprint) {
      writer.addFingerprint();
    }
    int n = writer.finish();
    link.send(link.alloc().directBuffer(n).writeBytes(out, 0, n));
  }
}
