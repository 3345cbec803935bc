package eu.visio.media.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;

/**
 * The server's side of one client 5-tuple (RFC 8656 §2): a UDP source address on the listening
 * socket, or one stream connection. An allocation belongs to exactly one link. Used on the server's
 * event loop only.
 */
abstract class ClientLink {
  final InetSocketAddress remote;

  /** The link's allocation, or null. */
  Allocation allocation;

  /** While an Allocate waits for its relay socket: its transaction id, else null. */
  byte[] pendingAllocate;

  ClientLink(InetSocketAddress remote) {
    this.remote = remote;
  }

  /** Whether ChannelData must be padded to 4 bytes (streams, RFC 8656 §12.5). */
  abstract boolean stream();

  abstract ByteBufAllocator alloc();

  /**
   * Queues {@code out} (released by this call or by the channel) for the client; flushed with the
   * loop's batch. False if it was dropped (a full stream).
   */
  abstract boolean send(ByteBuf out);

  /** Whether the link has ended (a closed stream): an allocation completing now is deleted. */
  boolean isGone() {
    return false;
  }

  /** The allocation is gone (expired, deleted, or the server is closing). */
  abstract void allocationGone();
}
