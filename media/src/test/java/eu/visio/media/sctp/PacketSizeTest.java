package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No packet exceeds the configured MTU, whatever its remainder modulo 4: chunks are padded (RFC
 * 9260 §3.2), and the DTLS record limit a transport gives (e.g. 1163) need not be a multiple of 4.
 */
class PacketSizeTest {
  @ParameterizedTest(name = "mtu {0}, I-DATA {1}")
  @CsvSource({
    "1163, false",
    "1163, true",
    "1200, false",
    "1201, true",
    "1202, false",
    "1203, true"
  })
  void packetsFitTheMtu(int mtu, boolean interleaving) {
    List<byte[]> fromA = new ArrayList<>();
    ArrayDeque<byte[]> toA = new ArrayDeque<>();
    ArrayDeque<byte[]> toB = new ArrayDeque<>();
    List<byte[]> received = new ArrayList<>();
    Association.Config config = new Association.Config(5000, 5000, 1 << 20, mtu, 16, interleaving);
    Association a =
        new Association(
            config,
            new Association.Listener() {
              @Override
              public void onPacket(byte[] packet) {
                fromA.add(packet);
                toB.add(packet);
              }

              @Override
              public void onMessage(int s, long ppid, boolean u, byte[] payload) {}
            });
    Association b =
        new Association(
            config,
            new Association.Listener() {
              @Override
              public void onPacket(byte[] packet) {
                toA.add(packet);
              }

              @Override
              public void onMessage(int s, long ppid, boolean u, byte[] payload) {
                received.add(payload);
              }
            });
    long now = 0;
    a.connect(now);
    byte[] message = new byte[20_000];
    boolean sent = false;
    for (int round = 0; round < 1000 && received.isEmpty(); round++) {
      byte[] p;
      while ((p = toB.poll()) != null) {
        b.receive(p, 0, p.length, now);
      }
      while ((p = toA.poll()) != null) {
        a.receive(p, 0, p.length, now);
      }
      if (!sent && a.state() == Association.State.ESTABLISHED) {
        a.send(1, 53, message, false, now);
        sent = true;
      }
      now += 50_000_000L;
      a.tick(now);
      b.tick(now);
    }
    assertThat(received).hasSize(1);
    assertThat(fromA).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(mtu));
    assertThat(fromA.stream().mapToInt(p -> p.length).max().orElseThrow())
        .as("full packets are used")
        .isGreaterThan(mtu - 4 - 16);
  }
}
