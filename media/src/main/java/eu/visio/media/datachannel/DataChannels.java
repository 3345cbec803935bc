package eu.visio.media.datachannel;

import eu.visio.media.sctp.Association;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The data channels of one peer connection (RFC 8831) on its SCTP {@link Association}, sans I/O:
 * channels the peer opens with DCEP are acknowledged and announced; channels we open take stream
 * ids of our parity (even for the DTLS client, odd for the server, RFC 8832 §6); messages carry
 * their PPID to tell strings from binary and empty messages.
 *
 * <p>Closing (RFC 8831 §6.7): the side that closes a channel resets its outgoing stream (RFC 6525);
 * the other side resets its own in turn; once both directions are reset the channel is closed on
 * both sides and its stream number is free again.
 *
 * <p>Message sizes (RFC 8841 §6): we send nothing larger than the peer's {@code a=max-message-size}
 * and drop (and report) what exceeds ours, so one participant cannot make another buffer more than
 * was agreed.
 *
 * <p>A slow receiver never makes us hold unbounded data: a partially reliable channel's message is
 * dropped once {@link #PARTIAL_BACKLOG_BYTES} wait to be sent (it would be stale anyway), and any
 * message once {@link #BACKLOG_BYTES} do, protecting the server; {@link #send} says which.
 *
 * <p>Partially reliable channels (livekit-client's {@code _lossy}: unordered, no retransmission)
 * abandon what their limits allow, skipped at the peer with FORWARD TSN (RFC 3758).
 */
public final class DataChannels implements Association.Listener {
  /** What the channels produce. */
  public interface Listener {
    /** An SCTP packet to send over DTLS. */
    void onPacket(byte[] packet);

    /** A channel is open (the peer opened it, or acknowledged ours). */
    default void onOpen(Channel channel) {}

    /** A message on an open channel. */
    void onMessage(Channel channel, byte[] payload, boolean binary);

    /** A message larger than our max-message-size arrived and was dropped. */
    default void onMessageTooLarge(Channel channel, int size) {}

    /** A channel closed (by either side); its stream number may be reused. */
    default void onChannelClosed(Channel channel) {}

    /** The association ended: every channel with it. */
    default void onClosed(String reason) {}
  }

  /**
   * An open channel.
   *
   * @param maxRetransmits partially reliable: resends at most (-1: reliable)
   * @param lifetimeMillis partially reliable: not resent after this (-1: reliable)
   */
  public record Channel(
      int streamId,
      String label,
      String protocol,
      boolean ordered,
      int maxRetransmits,
      long lifetimeMillis) {
    static Channel of(int streamId, DcepMessage.Open open) {
      DcepMessage.ChannelType t = open.channelType();
      boolean rexmit =
          t == DcepMessage.ChannelType.PARTIAL_RELIABLE_REXMIT
              || t == DcepMessage.ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED;
      boolean timed =
          t == DcepMessage.ChannelType.PARTIAL_RELIABLE_TIMED
              || t == DcepMessage.ChannelType.PARTIAL_RELIABLE_TIMED_UNORDERED;
      return new Channel(
          streamId,
          open.label(),
          open.protocol(),
          t.ordered(),
          rexmit ? (int) Math.min(open.reliability(), Integer.MAX_VALUE) : -1,
          timed ? open.reliability() : -1);
    }
  }

  /** What {@link #send} did with a message. */
  public enum Outcome {
    SENT,
    /** The association is not up, or the channel is not open (or closing). */
    NOT_OPEN,
    /** Larger than the peer's max-message-size. */
    TOO_LARGE,
    /** The receiver is too slow: too much already waits to be sent. */
    BACKLOGGED
  }

  /** Bytes waiting to be sent above which partially reliable messages are dropped. */
  public static final long PARTIAL_BACKLOG_BYTES = 256 * 1024;

  /** Bytes waiting to be sent above which every message is dropped. */
  public static final long BACKLOG_BYTES = 16 * 1024 * 1024;

  private final Association association;
  private final Listener listener;
  private final boolean dtlsClient;
  private final Map<Integer, Channel> byStream = new HashMap<>();
  private final Map<Integer, DcepMessage.Open> opening = new HashMap<>();
  private final java.util.List<Integer> toOpen = new java.util.ArrayList<>(); // before SCTP is up

  /** Channels whose stream is being reset: which directions are done. */
  private final Map<Integer, boolean[]> closing = new HashMap<>();

  private static final int OUT = 0;
  private static final int IN = 1;
  private int nextStream;
  private long maxSendSize; // the peer's max-message-size; 0: unlimited
  private long maxReceiveSize; // ours; 0: unlimited
  private long now; // the time of the call being served, for replies made inside callbacks

  public DataChannels(Association.Config config, boolean dtlsClient, Listener listener) {
    this(config, dtlsClient, 0, 0, listener);
  }

  /**
   * @param maxSendSize the peer's {@code a=max-message-size} (RFC 8841: 65536 when it gave none; 0
   *     means no limit)
   * @param maxReceiveSize ours, as our SDP says (0: no limit beyond the receive window)
   */
  public DataChannels(
      Association.Config config,
      boolean dtlsClient,
      long maxSendSize,
      long maxReceiveSize,
      Listener listener) {
    this.maxSendSize = maxSendSize;
    this.maxReceiveSize = maxReceiveSize;
    this.association = new Association(config, this);
    this.listener = listener;
    this.dtlsClient = dtlsClient;
    this.nextStream = dtlsClient ? 0 : 1;
  }

  /** Starts SCTP's handshake (the peer usually starts its own too; both meet). */
  public void start(long nowNanos) {
    now = nowNanos;
    association.connect(nowNanos);
  }

  /** An SCTP packet from DTLS; the reason it was dropped, or null. */
  public String receive(byte[] packet, long nowNanos) {
    now = nowNanos;
    return association.receive(packet, 0, packet.length, nowNanos);
  }

  public long deadline() {
    return association.deadline();
  }

  public void tick(long nowNanos) {
    now = nowNanos;
    association.tick(nowNanos);
  }

  public boolean established() {
    return association.state() == Association.State.ESTABLISHED;
  }

  /**
   * Opens a channel from our side (sent once SCTP is up); it is usable once the peer's ACK arrives.
   */
  public void open(String label, DcepMessage.ChannelType type, long nowNanos) {
    int stream = nextStream;
    nextStream += 2;
    opening.put(stream, new DcepMessage.Open(type, 256, 0, label, ""));
    if (established()) {
      association.send(stream, Ppid.DCEP, opening.get(stream).toBytes(), false, nowNanos);
    } else {
      toOpen.add(stream);
    }
  }

  @Override
  public void onEstablished() {
    for (int stream : toOpen) {
      association.send(stream, Ppid.DCEP, opening.get(stream).toBytes(), false, now);
    }
    toOpen.clear();
  }

  public Collection<Channel> channels() {
    return byStream.values();
  }

  /** The open channel of that label, or null. */
  public Channel channel(String label) {
    for (Channel c : byStream.values()) {
      if (c.label().equals(label)) {
        return c;
      }
    }
    return null;
  }

  /** Sends a message on an open channel, unless {@link Outcome} says why not. */
  public Outcome send(Channel c, byte[] payload, boolean binary, long nowNanos) {
    if (!established() || closing.containsKey(c.streamId()) || byStream.get(c.streamId()) != c) {
      return Outcome.NOT_OPEN;
    }
    if (maxSendSize > 0 && payload.length > maxSendSize) {
      return Outcome.TOO_LARGE;
    }
    long backlog = association.bufferedAmount();
    boolean partial = c.maxRetransmits() >= 0 || c.lifetimeMillis() >= 0;
    if (backlog > BACKLOG_BYTES || (partial && backlog > PARTIAL_BACKLOG_BYTES)) {
      return Outcome.BACKLOGGED;
    }
    long ppid;
    byte[] body = payload;
    if (payload.length == 0) {
      ppid = binary ? Ppid.BINARY_EMPTY : Ppid.STRING_EMPTY;
      body = new byte[1]; // RFC 8831 §6.6: SCTP cannot carry an empty message
    } else {
      ppid = binary ? Ppid.BINARY : Ppid.STRING;
    }
    association.send(
        c.streamId(),
        ppid,
        body,
        !c.ordered(),
        c.maxRetransmits(),
        c.lifetimeMillis() < 0 ? -1 : c.lifetimeMillis() * 1_000_000L,
        nowNanos);
    return Outcome.SENT;
  }

  /**
   * Closes a channel: its outgoing stream is reset, after what was already sent on it; the channel
   * is closed ({@link Listener#onChannelClosed}) once the peer has reset its direction too.
   */
  public void close(Channel c, long nowNanos) {
    if (byStream.get(c.streamId()) != c || closing.containsKey(c.streamId())) {
      return;
    }
    now = nowNanos;
    closing.put(c.streamId(), new boolean[2]);
    association.resetStreams(new int[] {c.streamId()}, nowNanos);
  }

  /** Aborts the association, and with it every channel. */
  public void close(String reason) {
    association.abort(reason);
  }

  @Override
  public void onIncomingStreamsReset(int[] streams) {
    int[] all =
        streams.length == 0 ? byStream.keySet().stream().mapToInt(i -> i).toArray() : streams;
    java.util.List<Integer> answer = new java.util.ArrayList<>();
    for (int s : all) {
      if (!byStream.containsKey(s)) {
        continue;
      }
      boolean[] done = closing.get(s);
      if (done == null) {
        done = new boolean[2]; // the peer closed it: we reset our direction in turn
        closing.put(s, done);
        answer.add(s);
      }
      done[IN] = true;
      closedIfDone(s);
    }
    if (!answer.isEmpty()) {
      association.resetStreams(answer.stream().mapToInt(i -> i).toArray(), now);
    }
  }

  @Override
  public void onOutgoingStreamsReset(int[] streams) {
    for (int s : streams) {
      boolean[] done = closing.get(s);
      if (done != null) {
        done[OUT] = true;
        closedIfDone(s);
      }
    }
  }

  @Override
  public void onOutgoingStreamsResetFailed(int[] streams, String reason) {
    for (int s : streams) {
      if (closing.containsKey(s)) {
        closed(s); // nothing more will be sent on it either way
      }
    }
  }

  private void closedIfDone(int stream) {
    boolean[] done = closing.get(stream);
    if (done[OUT] && done[IN]) {
      closed(stream);
    }
  }

  private void closed(int stream) {
    closing.remove(stream);
    Channel c = byStream.remove(stream);
    if (c != null) {
      listener.onChannelClosed(c);
    }
  }

  @Override
  public void onPacket(byte[] packet) {
    listener.onPacket(packet);
  }

  @Override
  public void onMessage(int streamId, long ppid, boolean unordered, byte[] payload) {
    if (ppid == Ppid.DCEP) {
      onDcep(streamId, payload);
      return;
    }
    Channel c = byStream.get(streamId);
    if (c == null) {
      return; // data on a stream no DCEP opened: dropped
    }
    if (maxReceiveSize > 0 && payload.length > maxReceiveSize) {
      listener.onMessageTooLarge(c, payload.length);
      return;
    }
    if (ppid == Ppid.STRING_EMPTY || ppid == Ppid.BINARY_EMPTY) {
      listener.onMessage(c, new byte[0], ppid == Ppid.BINARY_EMPTY);
    } else if (ppid == Ppid.STRING || ppid == Ppid.BINARY) {
      listener.onMessage(c, payload, ppid == Ppid.BINARY);
    }
  }

  private void onDcep(int streamId, byte[] payload) {
    DcepMessage m;
    try {
      m = DcepMessage.parse(payload);
    } catch (DcepParseException e) {
      return;
    }
    switch (m) {
      case DcepMessage.Open open -> {
        Channel c = Channel.of(streamId, open);
        byStream.put(streamId, c);
        association.send(streamId, Ppid.DCEP, new DcepMessage.Ack().toBytes(), false, now);
        listener.onOpen(c);
      }
      case DcepMessage.Ack ack -> {
        DcepMessage.Open mine = opening.remove(streamId);
        if (mine != null) {
          Channel c = Channel.of(streamId, mine);
          byStream.put(streamId, c);
          listener.onOpen(c);
        }
      }
    }
  }

  @Override
  public void onClosed(String reason) {
    listener.onClosed(reason);
  }
}
