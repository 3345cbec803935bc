package eu.visio.media.sctp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One SCTP association over a DTLS connection, sans I/O: it is fed packets and the time, and
 * answers with packets to send, messages received and a timer deadline, so that it runs on a media
 * worker and tests drive it deterministically (as WebRTC's dcSCTP does).
 *
 * <p>Handshake (RFC 9260 §5.1): INIT → INIT ACK with a signed {@link StateCookie} → COOKIE ECHO →
 * COOKIE ACK; no state is kept for a peer before its COOKIE ECHO. Both WebRTC peers usually send
 * INIT at once (RFC 8831 §6.2); a cookie made while our own INIT is out carries our tag, so either
 * side's COOKIE ECHO establishes the same association (§5.2.1, §5.2.4 case D).
 *
 * <p>Data (§6): {@link SendBuffer} and {@link ReceiveBuffer}; a SACK goes back for every second
 * packet with DATA, or 200 ms after the first (§6.2). HEARTBEAT is answered; ABORT ends the
 * association; SHUTDOWN is completed. Partial reliability (RFC 3758): a message past its
 * retransmission or lifetime limit is abandoned and skipped at the peer with FORWARD TSN. Stream
 * reset (RFC 6525): {@link StreamResets}. I-DATA and I-FORWARD-TSN (RFC 8260) replace DATA and
 * FORWARD TSN when both ends offer them, so streams interleave their messages.
 *
 * <p>Not thread-safe: one thread (the transport's worker) drives it.
 */
public final class Association {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Association.class);

  /** What the association produces. */
  public interface Listener {
    /** A packet to send over DTLS. */
    void onPacket(byte[] packet);

    /** A complete message. */
    void onMessage(int streamId, long ppid, boolean unordered, byte[] payload);

    default void onEstablished() {}

    default void onClosed(String reason) {}

    /**
     * The peer reset its outgoing {@code streams} (empty: all): it sends nothing more on them and
     * has sent everything before (RFC 6525; a data channel it closed, RFC 8831 §6.7).
     */
    default void onIncomingStreamsReset(int[] streams) {}

    /** Our reset of these outgoing streams took effect: they restart at sequence number 0. */
    default void onOutgoingStreamsReset(int[] streams) {}

    /** The peer refused to reset these streams (or cannot: no RE-CONFIG). */
    default void onOutgoingStreamsResetFailed(int[] streams, String reason) {}
  }

  /** RFC 9260 §4, the states a WebRTC association passes through. */
  public enum State {
    CLOSED,
    COOKIE_WAIT,
    COOKIE_ECHOED,
    ESTABLISHED,
    SHUTDOWN_SENT,
    SHUTDOWN_ACK_SENT
  }

  /**
   * @param localPort our SCTP port (WebRTC: {@code a=sctp-port}, 5000)
   * @param remotePort the peer's
   * @param window our receive window, bytes (also the largest message we reassemble)
   * @param mtu the largest SCTP packet, bytes: DTLS over UDP within a 1280-byte IPv6 path
   * @param streams streams we offer each way
   * @param interleaving offer I-DATA (RFC 8260), used when the peer offers it too
   */
  public record Config(
      int localPort, int remotePort, long window, int mtu, int streams, boolean interleaving) {
    public static Config webRtc(int localPort, int remotePort) {
      return new Config(localPort, remotePort, 1024 * 1024, 1200, 65535, true);
    }

    public Config withInterleaving(boolean on) {
      return new Config(localPort, remotePort, window, mtu, streams, on);
    }
  }

  static final long DELAYED_ACK_NANOS = 200_000_000L;

  private final Config config;
  private final Listener listener;
  private final byte[] cookieSecret = new byte[32];
  private final SecureRandom random = new SecureRandom();
  private State state = State.CLOSED;
  private long localTag;
  private long peerTag;
  private long localInitialTsn;
  private final HandshakeTimer handshake = new HandshakeTimer();
  private SendBuffer send;
  private ReceiveBuffer receive;
  private boolean ackDue;
  private long ackDeadline = -1;
  private int dataPacketsUnacked;
  private PeerFeatures peer = PeerFeatures.NONE;
  private StreamResets resets;

  public Association(Config config, Listener listener) {
    this.config = config;
    this.listener = listener;
    random.nextBytes(cookieSecret);
    localTag = nonZeroTag();
    localInitialTsn = random.nextInt() & 0xFFFF_FFFFL;
  }

  public State state() {
    return state;
  }

  private long nonZeroTag() {
    long t;
    do {
      t = random.nextInt() & 0xFFFF_FFFFL;
    } while (t == 0);
    return t;
  }

  /** Starts the handshake (both WebRTC peers may; the association copes with the collision). */
  public void connect(long nowNanos) {
    if (state != State.CLOSED) {
      return;
    }
    state = State.COOKIE_WAIT;
    InitChunk init = init(false, Optional.empty());
    handshake.start(init, nowNanos);
    emit(0, List.of(init));
  }

  private InitChunk init(boolean ack, Optional<byte[]> cookie) {
    return InitChunk.ours(ack, localTag, localInitialTsn, config, cookie);
  }

  /** Sends {@code payload} on {@code streamId} (established associations only). */
  public void send(int streamId, long ppid, byte[] payload, boolean unordered, long nowNanos) {
    send(streamId, ppid, payload, unordered, -1, -1, nowNanos);
  }

  /**
   * Sends a partially reliable message (RFC 3758) when the peer supports FORWARD TSN: resent at
   * most {@code maxRetransmits} times (-1: no limit) and not after {@code lifetimeNanos} (-1: no
   * limit), then abandoned; fully reliable when the peer lacks the extension.
   */
  public void send(
      int streamId,
      long ppid,
      byte[] payload,
      boolean unordered,
      int maxRetransmits,
      long lifetimeNanos,
      long nowNanos) {
    if (state != State.ESTABLISHED) {
      throw new IllegalStateException("association not established: " + state);
    }
    if (payload.length == 0 || payload.length > config.window()) {
      throw new IllegalArgumentException("message of " + payload.length + " bytes");
    }
    if (peer.forwardTsn()) {
      send.enqueue(
          streamId,
          ppid,
          payload,
          unordered,
          maxRetransmits,
          lifetimeNanos < 0 ? -1 : nowNanos + lifetimeNanos);
    } else {
      send.enqueue(streamId, ppid, payload, unordered);
    }
    flush(nowNanos);
  }

  /**
   * A packet from the peer. Malformed or misaddressed packets are dropped, never thrown: the
   * returned reason says why, for the caller's counters (null when it was processed).
   */
  public String receive(byte[] b, int off, int len, long nowNanos) {
    SctpPacket p;
    try {
      p = SctpPacket.parse(b, off, len);
    } catch (SctpParseException e) {
      return e.getMessage();
    }
    if (p.destinationPort() != config.localPort() || p.sourcePort() != config.remotePort()) {
      return "wrong ports";
    }
    Chunk first = p.chunks().getFirst();
    if (first instanceof InitChunk init && !init.ack()) {
      // §8.5.1: an INIT travels alone, with tag 0.
      if (p.verificationTag() != 0 || p.chunks().size() != 1) {
        return "INIT with a tag or bundled";
      }
      onInit(init, nowNanos);
      return null;
    }
    boolean reflected =
        (first instanceof AbortChunk a && a.tagReflected())
            || (first instanceof ShutdownCompleteChunk s && s.tagReflected());
    long expected = reflected ? peerTag : localTag;
    if (p.verificationTag() != expected && !(first instanceof CookieEchoChunk)) {
      return "wrong verification tag";
    }
    boolean data = false;
    List<ReconfigParam> reconfig = new ArrayList<>();
    boolean resetRequested = false;
    for (Chunk c : p.chunks()) {
      switch (c) {
        case InitChunk ack when ack.ack() -> onInitAck(ack, nowNanos);
        case CookieEchoChunk echo -> onCookieEcho(echo, p.verificationTag(), nowNanos);
        case CookieAckChunk ack -> onCookieAck();
        case DataChunk d -> {
          if (state == State.ESTABLISHED || state == State.SHUTDOWN_SENT) {
            if (peer.interleaving()) {
              abort("DATA after I-DATA was negotiated"); // RFC 8260 §2.2
              return "DATA after I-DATA was negotiated";
            }
            data = true;
            deliver(receive.onData(d));
            if (d.immediate()) {
              dataPacketsUnacked = 1;
            }
          }
        }
        case IDataChunk d -> {
          if (state == State.ESTABLISHED || state == State.SHUTDOWN_SENT) {
            if (!peer.interleaving()) {
              abort("I-DATA without negotiation"); // RFC 8260 §2.2
              return "I-DATA without negotiation";
            }
            data = true;
            deliver(receive.onData(d));
            if (d.immediate()) {
              dataPacketsUnacked = 1;
            }
          }
        }
        case SackChunk s -> {
          if (send != null) {
            send.onSack(s, nowNanos);
          }
        }
        case ForwardTsnChunk f -> {
          if ((state == State.ESTABLISHED || state == State.SHUTDOWN_SENT)
              && !peer.interleaving()) {
            deliver(receive.onForwardTsn(f));
            ackDue = true; // §3.6: a FORWARD TSN is acknowledged at once
          }
        }
        case IForwardTsnChunk f -> {
          if ((state == State.ESTABLISHED || state == State.SHUTDOWN_SENT) && peer.interleaving()) {
            deliver(receive.onForwardTsn(f));
            ackDue = true;
          }
        }
        case ReconfigChunk r -> {
          if (state == State.ESTABLISHED || state == State.SHUTDOWN_SENT) {
            resetRequested |= resets.onReconfig(r, send, receive, reconfig);
          }
        }
        case HeartbeatChunk hb when !hb.ack() ->
            emit(peerTag, List.of(new HeartbeatChunk(true, hb.params())));
        case AbortChunk a -> close("aborted by the peer");
        case ShutdownChunk s -> {
          emit(peerTag, List.of(new ShutdownAckChunk()));
          state = State.SHUTDOWN_ACK_SENT;
        }
        case ShutdownAckChunk s -> {
          emit(peerTag, List.of(new ShutdownCompleteChunk(false)));
          close("shut down");
        }
        case ShutdownCompleteChunk s -> close("shut down by the peer");
        case UnknownChunk u -> {
          if (!u.skip()) {
            return "unknown chunk type " + u.type();
          }
        }
        default -> {} // HEARTBEAT ACK, ERROR and chunks of extensions to come
      }
    }
    if (resets != null && resets.resetPending()) {
      ReconfigParam.Response done = resets.performIfReady(receive);
      if (done != null) {
        reconfig.add(done);
      } else if (resetRequested) {
        reconfig.add(resets.inProgress());
      }
    }
    for (ReconfigParam r : reconfig) {
      emit(peerTag, List.of(new ReconfigChunk(List.of(r))));
    }
    if (data) {
      dataPacketsUnacked++;
      if (dataPacketsUnacked >= 2) {
        ackDue = true;
      } else if (ackDeadline < 0) {
        ackDeadline = nowNanos + DELAYED_ACK_NANOS;
      }
    }
    flush(nowNanos);
    return null;
  }

  private void deliver(List<ReceiveBuffer.Message> messages) {
    for (ReceiveBuffer.Message m : messages) {
      listener.onMessage(m.streamId(), m.ppid(), m.unordered(), m.payload());
    }
  }

  /**
   * Resets our outgoing {@code streams} (RFC 6525 §5.1.2): the peer learns we send nothing more on
   * them once it has what we sent before. Outcome: {@link Listener#onOutgoingStreamsReset} or
   * {@link Listener#onOutgoingStreamsResetFailed}. Send nothing more on them until then.
   */
  public void resetStreams(int[] streams, long nowNanos) {
    if (state != State.ESTABLISHED || !peer.reconfig()) {
      listener.onOutgoingStreamsResetFailed(
          streams,
          state != State.ESTABLISHED ? "association not established" : "peer lacks RE-CONFIG");
      return;
    }
    resets.reset(streams);
    flush(nowNanos);
  }

  private void onInit(InitChunk init, long nowNanos) {
    if (state == State.ESTABLISHED) {
      // A restart (§5.2.2) is not supported over one DTLS connection: ignore it.
      return;
    }
    // While our INIT is out, the cookie keeps our tag, so both handshakes meet (§5.2.1).
    long tag = state == State.CLOSED ? nonZeroTag() : localTag;
    if (state == State.CLOSED) {
      localTag = tag;
    }
    StateCookie cookie =
        new StateCookie(
            init.initiateTag(),
            tag,
            init.initialTsn(),
            localInitialTsn,
            init.arwnd(),
            Math.min(config.streams(), init.inboundStreams()),
            Math.min(config.streams(), init.outboundStreams()),
            System.currentTimeMillis(),
            PeerFeatures.of(init, config.interleaving()));
    emit(init.initiateTag(), List.of(init(true, Optional.of(cookie.seal(cookieSecret)))));
  }

  private void onInitAck(InitChunk ack, long nowNanos) {
    if (state != State.COOKIE_WAIT) {
      return; // §5.2.3: discard
    }
    Optional<Param> cookie = ack.param(Param.STATE_COOKIE);
    if (cookie.isEmpty()) {
      close("INIT ACK without a cookie");
      return;
    }
    peerTag = ack.initiateTag();
    peer = PeerFeatures.of(ack, config.interleaving());
    start(ack.initialTsn(), ack.arwnd());
    state = State.COOKIE_ECHOED;
    CookieEchoChunk echo = new CookieEchoChunk(cookie.get().value());
    handshake.start(echo, nowNanos);
    emit(peerTag, List.of(echo));
  }

  private void onCookieEcho(CookieEchoChunk echo, long vtag, long nowNanos) {
    StateCookie c;
    try {
      c = StateCookie.open(echo.cookie(), cookieSecret, System.currentTimeMillis());
    } catch (SctpParseException e) {
      return; // §5.1.5: a cookie we cannot verify is discarded silently
    }
    if (vtag != c.localTag()) {
      return;
    }
    if (state == State.ESTABLISHED) {
      if (c.peerTag() == peerTag && c.localTag() == localTag) {
        emit(peerTag, List.of(new CookieAckChunk())); // our COOKIE ACK was lost
      }
      return;
    }
    localTag = c.localTag();
    peerTag = c.peerTag();
    peer = c.peerFeatures();
    if (send == null) {
      start(c.peerInitialTsn(), c.peerArwnd());
    }
    emit(peerTag, List.of(new CookieAckChunk()));
    established();
  }

  private void onCookieAck() {
    if (state == State.COOKIE_ECHOED) {
      established();
    }
  }

  private void start(long peerInitialTsn, long peerWindow) {
    send = new SendBuffer(localInitialTsn, peerWindow, config.mtu(), peer.interleaving());
    receive = new ReceiveBuffer(peerInitialTsn, config.window(), peer.interleaving());
    resets = new StreamResets(localInitialTsn, peerInitialTsn, listener);
  }

  private void established() {
    LOG.debug(
        "SCTP association up: I-DATA {}, partial reliability {}, stream reset {}",
        peer.interleaving(),
        peer.forwardTsn(),
        peer.reconfig());
    state = State.ESTABLISHED;
    handshake.stop();
    listener.onEstablished();
  }

  /** Sends what is due: a SACK, then the DATA the windows allow, bundled into packets. */
  private void flush(long nowNanos) {
    if (send == null || (state != State.ESTABLISHED && state != State.SHUTDOWN_SENT)) {
      return;
    }
    List<Chunk> chunks = new ArrayList<>();
    if (ackDue) {
      chunks.add(receive.sack());
      ackDue = false;
      ackDeadline = -1;
      dataPacketsUnacked = 0;
    }
    List<Chunk> data = send.take(nowNanos);
    send.forwardTsn().ifPresent(chunks::add);
    chunks.addAll(data);
    emit(peerTag, chunks);
    ReconfigParam.OutgoingReset request = resets.take(send, nowNanos);
    if (request != null) {
      // Alone, after the DATA it names as sent before it.
      emit(peerTag, List.of(new ReconfigChunk(List.of(request))));
    }
  }

  /** Bundles chunks into packets of at most the MTU, tagged {@code vtag}. */
  private void emit(long vtag, List<? extends Chunk> chunks) {
    List<Chunk> packet = new ArrayList<>();
    int size = SctpPacket.HEADER;
    for (Chunk c : chunks) {
      int n = Wire.padded(c.length());
      if (!packet.isEmpty() && size + n > config.mtu()) {
        send(vtag, packet);
        packet = new ArrayList<>();
        size = SctpPacket.HEADER;
      }
      packet.add(c);
      size += n;
    }
    if (!packet.isEmpty()) {
      send(vtag, packet);
    }
  }

  private void send(long vtag, List<Chunk> chunks) {
    listener.onPacket(
        new SctpPacket(config.localPort(), config.remotePort(), vtag, chunks).toBytes());
  }

  /** The next time {@link #tick} has work, or -1. */
  public long deadline() {
    long d = -1;
    for (long t :
        new long[] {
          handshake.deadline(),
          ackDeadline,
          send == null ? -1 : send.deadline(),
          resets == null ? -1 : resets.deadline()
        }) {
      if (t >= 0 && (d < 0 || t < d)) {
        d = t;
      }
    }
    return d;
  }

  /** Timers: the handshake's retransmission, the delayed SACK, T3-rtx. */
  public void tick(long nowNanos) {
    Chunk again = handshake.due(nowNanos);
    if (again != null) {
      if (handshake.exhausted()) {
        close("handshake timed out");
        return;
      }
      handshake.sent(nowNanos);
      emit(again instanceof InitChunk ? 0 : peerTag, List.of(again));
    }
    if (ackDeadline >= 0 && nowNanos >= ackDeadline) {
      ackDue = true;
    }
    if (send != null) {
      send.onTimeout(nowNanos);
    }
    flush(nowNanos);
  }

  /** Aborts the association (the user's close, or a fatal error). */
  public void abort(String reason) {
    if (state != State.CLOSED && peerTag != 0) {
      emit(peerTag, List.of(new AbortChunk(false, List.of())));
    }
    close(reason);
  }

  private void close(String reason) {
    if (state == State.CLOSED && !handshake.running()) {
      return;
    }
    state = State.CLOSED;
    handshake.stop();
    ackDeadline = -1;
    listener.onClosed(reason);
  }

  /** Bytes of messages waiting to be sent (not yet given a TSN), as WebRTC's bufferedAmount. */
  public long bufferedAmount() {
    return send == null ? 0 : send.queuedBytes();
  }

  /** Our verification tag: what the peer's packets must carry (tests forge with it). */
  long localTag() {
    return localTag;
  }

  /** The peer's TSN we acknowledge up to, or -1 before the handshake. */
  long peerCumulativeTsn() {
    return receive == null ? -1 : receive.cumulativeTsn();
  }

  /** Bytes the congestion window allows in flight now (for tests and stats). */
  long congestionWindow() {
    return send == null ? 0 : send.cwnd();
  }
}
