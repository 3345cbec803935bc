package eu.visio.signal.livekit;

import eu.visio.media.datachannel.DataChannels;
import eu.visio.media.datachannel.DcepMessage;
import eu.visio.media.sctp.Association;

/**
 * The data channels on one of a participant's transports, from DTLS up: LiveKit clients open {@code
 * _reliable} and {@code _lossy} on the connection they publish on; on a subscriber connection (two
 * peer connections) we open them, as livekit-server does. What arrives goes to the room's relay.
 * Confined to the room's worker.
 */
final class TransportData implements DataChannels.Listener {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(TransportData.class);

  static final String RELIABLE = "_reliable";
  static final String LOSSY = "_lossy";

  /**
   * Reliable packets held for a participant whose {@code _reliable} channel is not open yet (it is
   * joining), up to this many bytes, as livekit-server does; more are dropped.
   */
  static final int MAX_PENDING_BYTES = 100_000;

  private final LiveKitParticipant owner;
  private final boolean opensChannels;
  private PeerConnection connection;
  private DataChannels channels;
  private final java.util.ArrayDeque<byte[]> pending = new java.util.ArrayDeque<>();
  private int pendingBytes;
  private boolean closed;

  TransportData(LiveKitParticipant owner, boolean opensChannels) {
    this.owner = owner;
    this.opensChannels = opensChannels;
  }

  void bind(PeerConnection connection) {
    this.connection = connection;
  }

  /** DTLS is up: SCTP starts (the browser starts its own handshake too; both meet). */
  void connected(long nowNanos) {
    if (channels != null || connection == null) {
      return;
    }
    channels =
        new DataChannels(
            sctpConfig(connection.remoteSctpPort(), connection.applicationDataLimit()),
            connection.dtlsClient(),
            connection.remoteMaxMessageSize(),
            eu.visio.media.sdp.AnswerPolicy.DEFAULT_MAX_MESSAGE_SIZE,
            this);
    channels.start(nowNanos);
    if (opensChannels) {
      channels.open(RELIABLE, DcepMessage.ChannelType.RELIABLE, nowNanos);
      channels.open(LOSSY, DcepMessage.ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, nowNanos);
    }
  }

  /**
   * The association's settings: each SCTP packet travels in one DTLS record (RFC 8261 section 5),
   * so it is no larger than a record carries. WebRTC's 1200 bytes is the datagram; a record's
   * header and cipher take 37 bytes or more of it, and a packet above the limit would be dropped at
   * every try, so a message needing a full-size fragment would never arrive.
   */
  static Association.Config sctpConfig(int remotePort, int recordLimit) {
    Association.Config c = Association.Config.webRtc(5000, remotePort);
    int mtu = recordLimit > 0 ? Math.min(c.mtu(), recordLimit) : c.mtu();
    return new Association.Config(
        c.localPort(), c.remotePort(), c.window(), mtu, c.streams(), c.interleaving());
  }

  void receive(byte[] packet, long nowNanos) {
    if (channels != null) {
      String dropped = channels.receive(packet, nowNanos);
      if (dropped != null) {
        owner.room().drops().count(SignalDrops.Reason.SCTP_DROPPED);
        log.debug(
            "room={} participant={} SCTP packet dropped: {}",
            owner.room().name(),
            owner.identity(),
            dropped);
      }
    }
  }

  void tick(long nowNanos) {
    if (channels != null) {
      long d = channels.deadline();
      if (d >= 0 && d <= nowNanos) {
        channels.tick(nowNanos);
      }
    }
  }

  /**
   * Sends a data packet on the channel of that label; false when there is none (yet). A reliable
   * packet waits for the channel to open (true when it was kept for then).
   */
  boolean send(String label, byte[] packet, long nowNanos) {
    long limit = connection == null ? 0 : connection.remoteMaxMessageSize();
    if (limit > 0 && packet.length > limit) {
      // RFC 8841 §6: the receiver said it cannot take it.
      owner.room().drops().count(SignalDrops.Reason.DATA_TOO_LARGE);
      log.debug(
          "room={} participant={} data packet of {} bytes over its max-message-size {}: dropped",
          owner.room().name(),
          owner.identity(),
          packet.length,
          limit);
      return false;
    }
    DataChannels.Channel c = channels == null ? null : channels.channel(label);
    if (c != null) {
      return switch (channels.send(c, packet, true, nowNanos)) {
        case SENT -> true;
        case NOT_OPEN -> false;
        case TOO_LARGE -> {
          owner.room().drops().count(SignalDrops.Reason.DATA_TOO_LARGE);
          yield false;
        }
        case BACKLOGGED -> {
          // A slow receiver: it loses this packet; nobody else waits for it.
          owner.room().drops().count(SignalDrops.Reason.DATA_BACKLOGGED);
          yield false;
        }
      };
    }
    if (closed || !label.equals(RELIABLE) || pendingBytes + packet.length > MAX_PENDING_BYTES) {
      return false;
    }
    pending.add(packet);
    pendingBytes += packet.length;
    return true;
  }

  void close() {
    closed = true;
    pending.clear();
    if (channels != null) {
      channels.close("participant left");
    }
  }

  @Override
  public void onOpen(DataChannels.Channel channel) {
    log.debug(
        "room={} participant={} data channel {} open on stream {}",
        owner.room().name(),
        owner.identity(),
        channel.label(),
        channel.streamId());
    if (channel.label().equals(RELIABLE)) {
      long now = System.nanoTime();
      for (byte[] p = pending.poll(); p != null; p = pending.poll()) {
        channels.send(channel, p, true, now);
      }
      pendingBytes = 0;
    }
  }

  @Override
  public void onChannelClosed(DataChannels.Channel channel) {
    log.debug(
        "room={} participant={} data channel {} on stream {} closed",
        owner.room().name(),
        owner.identity(),
        channel.label(),
        channel.streamId());
  }

  @Override
  public void onClosed(String reason) {
    log.debug(
        "room={} participant={} data channels closed: {}",
        owner.room().name(),
        owner.identity(),
        reason);
    closed = true;
    pending.clear();
  }

  @Override
  public void onMessageTooLarge(DataChannels.Channel channel, int size) {
    owner.room().drops().count(SignalDrops.Reason.DATA_TOO_LARGE);
    log.debug(
        "room={} participant={} message of {} bytes on {} over our max-message-size: dropped",
        owner.room().name(),
        owner.identity(),
        size,
        channel.label());
  }

  @Override
  public void onPacket(byte[] packet) {
    connection.sendApplicationData(packet);
  }

  @Override
  public void onMessage(DataChannels.Channel channel, byte[] payload, boolean binary) {
    owner.room().relayData(owner, channel.label(), payload);
  }
}
