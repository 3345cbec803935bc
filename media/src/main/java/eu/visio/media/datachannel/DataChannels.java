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

  private final Association association;
  private final Listener listener;
  private final boolean dtlsClient;
  private final Map<Integer, Channel> byStream = new HashMap<>();
  private final Map<Integer, DcepMessage.Open> opening = new HashMap<>();
  private final java.util.List<Integer> toOpen = new java.util.ArrayList<>(); // before SCTP is up
  private int nextStream;
  private long now; // the time of the call being served, for replies made inside callbacks

  public DataChannels(Association.Config config, boolean dtlsClient, Listener listener) {
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

  /** Sends a message on an open channel; false if the association is not up. */
  public boolean send(Channel c, byte[] payload, boolean binary, long nowNanos) {
    if (!established()) {
      return false;
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
    return true;
  }

  public void close(String reason) {
    association.abort(reason);
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
