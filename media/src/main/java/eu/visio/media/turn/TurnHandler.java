package eu.visio.media.turn;

import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The data path of the TURN server, on its event loop: demultiplexes what a client sends (STUN or
 * ChannelData, RFC 8656 §12.4), relays Send indications (§11.2) and ChannelData (§12.4) to peers,
 * and wraps what peers send into ChannelData (§12.4) or Data indications (§11.3). Requests go to
 * {@link TurnRequests}.
 *
 * <p>Allocation per packet: each datagram sent is a pooled Netty buffer plus, on UDP, a {@link
 * DatagramPacket}, which Netty requires. A Send indication also decodes its XOR-PEER-ADDRESS into
 * an {@link InetSocketAddress}, and a Data indication copies the peer's address bytes; the
 * ChannelData paths (what browsers use once a channel is bound) allocate nothing else. Writes are
 * flushed once per read batch ({@link #flushAll}).
 */
final class TurnHandler {
  private final TurnServer server;
  private final TurnCounters counters;
  private final RelayPolicy policy;
  private final int maxPayload;
  private final int maxChannel;
  private final StunMessage message = new StunMessage();
  private final StunWriter writer = new StunWriter();
  private final byte[] out;
  private final byte[] peerBytes;
  private final byte[] txId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
  private final ArrayList<Channel> dirty = new ArrayList<>();
  private final ArrayList<TurnConnection> dirtyStreams = new ArrayList<>();
  private final TurnRequests requests;

  TurnHandler(TurnServer server, TurnRequests requests) {
    this.server = server;
    this.counters = server.counters();
    this.policy = server.config().policy();
    this.maxPayload = server.config().maxPayload();
    this.maxChannel = server.config().maxChannel();
    this.out = new byte[server.config().maxMessage() + 64];
    this.peerBytes = new byte[maxPayload];
    this.requests = requests;
  }

  /** One datagram or stream frame from a client ({@code b} is reused after the call). */
  void onClientMessage(ClientLink link, byte[] b, int off, int len) {
    if (len < 4) {
      counters.add(TurnReason.MALFORMED);
      return;
    }
    int first = b[off] & 0xFF;
    if (first >= 0x40 && first < 0x80) {
      onChannelData(link, b, off, len);
    } else if (first < 0x40 && message.tryWrap(b, off, len)) {
      onStun(link, message);
    } else {
      counters.add(TurnReason.MALFORMED);
    }
  }

  private void onStun(ClientLink link, StunMessage m) {
    StunClass cls = m.messageClass();
    if (cls == StunClass.INDICATION && m.method() == StunMethod.SEND) {
      onSend(link, m);
    } else if (cls == StunClass.REQUEST) {
      requests.onRequest(link, m);
    } else {
      counters.add(TurnReason.UNSUPPORTED_METHOD);
    }
  }

  /** Send indication (RFC 8656 §11.2): no authentication; dropped silently on any problem. */
  private void onSend(ClientLink link, StunMessage m) {
    Allocation a = link.allocation;
    if (a == null) {
      counters.add(TurnReason.NO_ALLOCATION);
      return;
    }
    int data = m.indexOf(StunAttribute.DATA);
    InetSocketAddress peer = m.address(StunAttribute.XOR_PEER_ADDRESS);
    if (data < 0 || peer == null) {
      counters.add(TurnReason.BAD_REQUEST);
      return;
    }
    int len = m.attributeValueLength(data);
    if (len > maxPayload) {
      counters.add(TurnReason.OVERSIZED);
      return;
    }
    if (!policy.allows(peer)) {
      counters.add(TurnReason.FORBIDDEN_PEER);
      return;
    }
    if (!a.hasPermission(peer.getAddress(), System.nanoTime())) {
      counters.add(TurnReason.NO_PERMISSION_OUTBOUND);
      return;
    }
    toPeer(a, m.buffer(), m.attributeValueOffset(data), len, peer);
  }

  /**
   * ChannelData (RFC 8656 §12.4): on UDP the padding is optional, so the datagram may be longer.
   */
  private void onChannelData(ClientLink link, byte[] b, int off, int len) {
    int number = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    int length = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    if (length > len - 4) {
      counters.add(TurnReason.MALFORMED);
      return;
    }
    if (length > maxPayload) {
      counters.add(TurnReason.OVERSIZED);
      return;
    }
    Allocation a = link.allocation;
    if (a == null) {
      counters.add(TurnReason.NO_ALLOCATION);
      return;
    }
    long now = System.nanoTime();
    Allocation.Binding binding = number <= maxChannel ? a.channel(number, now) : null;
    if (binding == null) {
      counters.add(TurnReason.UNKNOWN_CHANNEL);
      return;
    }
    if (!a.hasPermission(binding.peer.getAddress(), now)) {
      counters.add(TurnReason.NO_PERMISSION_OUTBOUND);
      return;
    }
    toPeer(a, b, off + 4, length, binding.peer);
  }

  private void toPeer(Allocation a, byte[] b, int off, int len, InetSocketAddress peer) {
    ByteBuf buf = a.relay.alloc().directBuffer(len).writeBytes(b, off, len);
    write(a.relay, new DatagramPacket(buf, peer));
    counters.relayedToPeer();
  }

  /**
   * A datagram from {@code peer} on {@code a}'s relay socket (RFC 8656 §11.3, §12.4): dropped
   * unless a permission and the policy allow the peer; sent on the channel bound to it if any, else
   * in a Data indication.
   */
  void onPeerData(Allocation a, InetSocketAddress peer, ByteBuf content) {
    int len = content.readableBytes();
    if (len > maxPayload) {
      counters.add(TurnReason.OVERSIZED);
      return;
    }
    long now = System.nanoTime();
    if (a.closed || !a.hasPermission(peer.getAddress(), now) || !policy.allows(peer)) {
      counters.add(TurnReason.NO_PERMISSION_INBOUND);
      return;
    }
    ClientLink link = a.link;
    Allocation.Binding binding = a.channelTo(peer, now);
    ByteBuf frame;
    if (binding != null) {
      int padded = link.stream() ? (len + 3) & ~3 : len;
      frame = link.alloc().directBuffer(4 + padded);
      frame
          .writeShort(binding.number)
          .writeShort(len)
          .writeBytes(content, content.readerIndex(), len);
      frame.writeZero(padded - len);
    } else {
      content.getBytes(content.readerIndex(), peerBytes, 0, len);
      ThreadLocalRandom.current().nextBytes(txId);
      int n =
          writer
              .start(out, 0, out.length, StunClass.INDICATION, StunMethod.DATA, txId, 0)
              .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort())
              .addBytes(StunAttribute.DATA, peerBytes, 0, len)
              .finish();
      frame = link.alloc().directBuffer(n).writeBytes(out, 0, n);
    }
    if (link.send(frame)) {
      counters.relayedToClient();
    }
  }

  /** Writes without flushing; the channel is flushed at the end of the read batch. */
  void write(Channel channel, Object msg) {
    channel.write(msg, channel.voidPromise());
    for (int i = dirty.size() - 1; i >= 0; i--) {
      if (dirty.get(i) == channel) {
        return;
      }
    }
    dirty.add(channel);
  }

  /** Notes a stream written to, to flush with the batch. */
  void markDirty(TurnConnection c) {
    if (!c.unflushed) {
      c.unflushed = true;
      dirtyStreams.add(c);
    }
  }

  /** Flushes every channel and stream written to since the last call. */
  void flushAll() {
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
    for (int i = 0; i < dirtyStreams.size(); i++) {
      TurnConnection c = dirtyStreams.get(i);
      c.unflushed = false;
      c.flush();
    }
    dirtyStreams.clear();
  }
}
