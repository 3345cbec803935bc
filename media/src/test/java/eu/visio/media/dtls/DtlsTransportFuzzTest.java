package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile datagrams must never throw into the I/O thread nor wedge the transport. */
class DtlsTransportFuzzTest {
  /** A DTLS 1.2 record header for an epoch-0 handshake record, to get past the cheap checks. */
  private static final byte[] HEADER = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0};

  @Property(tries = 40)
  void junkBeforeTheHandshakeEndsInConnectOrFailure(
      @ForAll @Size(max = 4) List<@Size(max = 1600) byte[]> junk,
      @ForAll boolean recordShaped,
      @ForAll @IntRange(min = 0, max = 300) int bodyLength)
      throws Exception {
    DtlsPair pair = DtlsPair.create();
    try {
      for (byte[] j : junk) {
        byte[] datagram = j;
        if (recordShaped) {
          datagram = new byte[HEADER.length + 2 + j.length];
          System.arraycopy(HEADER, 0, datagram, 0, HEADER.length);
          datagram[HEADER.length] = (byte) (bodyLength >> 8);
          datagram[HEADER.length + 1] = (byte) bodyLength;
          System.arraycopy(j, 0, datagram, HEADER.length + 2, j.length);
        }
        pair.server.receive(datagram, 0, datagram.length);
      }
      pair.start();
      CompletableFuture.anyOf(pair.serverEvents.connected, pair.serverEvents.failed)
          .get(10, TimeUnit.SECONDS);
      CompletableFuture.anyOf(pair.clientEvents.connected, pair.clientEvents.failed)
          .get(10, TimeUnit.SECONDS);
      // Never keys on one side only.
      assertThat(pair.serverEvents.connected.isDone())
          .isEqualTo(pair.clientEvents.connected.isDone());
    } finally {
      pair.closeBoth();
    }
  }
}
