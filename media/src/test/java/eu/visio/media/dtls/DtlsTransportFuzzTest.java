package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Example;
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

  /**
   * Every value of every record-header byte and every single-bit flip in the rest of the first 48
   * bytes of every datagram of the client's handshake, replayed at a connected server as if spoofed
   * from the client's address, is discarded: the server stays connected and keeps decrypting. (It
   * once hung up on a record version 0xFEFE and on a change_cipher_spec moved to epoch 1.)
   */
  @Example
  void noMutationOfTheHandshakeEndsAConnection() throws Exception {
    List<byte[]> sent = new ArrayList<>();
    DtlsPair pair =
        DtlsPair.builder()
            .clientLink(
                next ->
                    (b, o, l) -> {
                      byte[] copy = new byte[l];
                      System.arraycopy(b, o, copy, 0, l);
                      sent.add(copy);
                      next.send(b, o, l);
                    })
            .build()
            .start();
    try {
      pair.serverEvents.connected.get(10, TimeUnit.SECONDS);
      pair.clientEvents.connected.get(10, TimeUnit.SECONDS);
      List<byte[]> flight = List.copyOf(sent);
      assertThat(flight).as("the client's flights").hasSizeGreaterThanOrEqualTo(3);
      int marker = 0;
      for (int d = 0; d < flight.size(); d++) {
        byte[] original = flight.get(d);
        for (int pos = 0; pos < Math.min(original.length, 48); pos++) {
          // Every value of each header byte; single-bit flips in the body.
          int masks = pos < DtlsPacket.RECORD_HEADER_LENGTH ? 255 : 8;
          for (int m = 0; m < masks; m++) {
            byte[] mutated = original.clone();
            mutated[pos] ^= (byte) (masks == 255 ? m + 1 : 1 << m);
            pair.server.receive(mutated, 0, mutated.length);
            // Half the inbound queue at a time, so the barrier below is never dropped as overflow.
            if (m % 32 == 31 || m == masks - 1) {
              barrier(pair, "datagram " + d + " byte " + pos + " #" + marker++);
            }
          }
        }
      }
      assertThat(pair.server.isConnected()).isTrue();
      assertThat(pair.serverEvents.failed).isNotDone();
    } finally {
      pair.closeBoth();
    }
  }

  /** The server reads in order, so once this arrives every datagram before it was handled. */
  private static void barrier(DtlsPair pair, String after) throws InterruptedException {
    byte[] ping = after.getBytes(StandardCharsets.US_ASCII);
    assertThat(pair.client.sendApplicationData(ping, 0, ping.length)).isTrue();
    assertThat(pair.serverEvents.data.poll(10, TimeUnit.SECONDS))
        .as(
            "server still decrypting after %s (failed: %s)",
            after, pair.serverEvents.failed.getNow(null))
        .isEqualTo(ping);
  }
}
