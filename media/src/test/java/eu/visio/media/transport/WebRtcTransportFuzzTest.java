package eu.visio.media.transport;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.media.net.OnLoop;
import eu.visio.media.net.Poll;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunMessage;
import io.netty.channel.epoll.Epoll;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Untrusted datagrams into a live port: random bytes and mutated STUN checks, DTLS records and
 * SRTP/SRTCP packets, from the connected client's (validated) address and from a stranger's. After
 * each batch the port must still answer a valid check and carry genuine SRTP, must never deliver a
 * forgery, and no endpoint may have thrown (counted as {@link DropReason#ENDPOINT_ERROR}).
 */
class WebRtcTransportFuzzTest {
  private static final Map<UdpMediaPort.Io, Connected> CONNECTED =
      new EnumMap<>(UdpMediaPort.Io.class);

  /** One connected server/client pair per I/O, with samples to mutate. */
  private static final class Connected {
    final ServerSide server;
    final ClientPeer client;
    final ClientPeer stranger;
    final byte[] srtp;
    final byte[] srtcp;
    int nextSeq = 1000;

    Connected(UdpMediaPort.Io io) throws Exception {
      server = new ServerSide(io, "brws", ClientPeer.CERT.sha256Fingerprint());
      client = new ClientPeer("brws", server.address());
      stranger = new ClientPeer("brws", server.address());
      client.checkAndAwait(server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
      client.startDtls(ServerSide.CERT.sha256Fingerprint());
      client.dtlsConnected.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      server.events.connected.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      srtp = protect(MediaFixtures.rtp(1), false);
      srtcp = protect(MediaFixtures.pli(), true);
    }

    private byte[] protect(byte[] plain, boolean rtcp) {
      byte[] b = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_RTCP_OVERHEAD);
      SrtpSession s = client.srtp();
      int n = rtcp ? s.protectRtcp(b, 0, plain.length) : s.protectRtp(b, 0, plain.length);
      return Arrays.copyOf(b, n);
    }

    void close() {
      stranger.close();
      client.close();
      server.close();
    }
  }

  enum Kind {
    NOISE,
    STUN_CHECK,
    DTLS,
    SRTP,
    SRTCP
  }

  /**
   * A datagram: a sample of {@code kind} (or {@code noise}) with {@code mask} XORed in at {@code
   * flips} and, if {@code cut} is positive, {@code cut} bytes taken off the end.
   */
  record Mutation(Kind kind, List<Integer> flips, byte mask, int cut, byte[] noise) {
    byte[] apply(Connected c) {
      byte[] b =
          switch (kind) {
            case NOISE -> noise.clone();
            case STUN_CHECK ->
                c.client.check(
                    c.client.newTransactionId(),
                    c.server.ice.ufrag(),
                    c.server.ice.pwd(),
                    ClientPeer.Role.CONTROLLING,
                    true);
            case DTLS -> c.client.dtlsSent.get(flips.get(0) % c.client.dtlsSent.size()).clone();
            case SRTP -> c.srtp.clone();
            case SRTCP -> c.srtcp.clone();
          };
      if (kind == Kind.NOISE) {
        return b;
      }
      // Never the untouched sample: at least one bit flips, and the cut is taken after.
      byte m = mask == 0 ? 1 : mask;
      // Distinct positions, so two flips never cancel out into the original sample.
      for (int p : new TreeSet<>(flips.stream().map(i -> i % b.length).toList())) {
        b[p] ^= m;
      }
      return cut > 0 ? Arrays.copyOf(b, Math.max(0, b.length - cut)) : b;
    }
  }

  @BeforeContainer
  static void connect() throws Exception {
    for (UdpMediaPort.Io io : availableIo()) {
      CONNECTED.put(io, new Connected(io));
    }
  }

  @AfterContainer
  static void close() {
    CONNECTED.values().forEach(Connected::close);
    CONNECTED.clear();
  }

  private static List<UdpMediaPort.Io> availableIo() {
    return Epoll.isAvailable() ? List.of(UdpMediaPort.Io.values()) : List.of(UdpMediaPort.Io.NIO);
  }

  @Provide
  Arbitrary<UdpMediaPort.Io> io() {
    return Arbitraries.of(availableIo());
  }

  @Provide
  Arbitrary<List<Mutation>> datagrams() {
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 1400).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.bytes(),
                // Half the samples keep their length, so flips reach past the parsers.
                Arbitraries.integers().between(-8, 8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(1400))
            .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 300)
  void portKeepsServingAndNothingForgedGetsThrough(
      @ForAll("io") UdpMediaPort.Io io,
      @ForAll("datagrams") List<Mutation> datagrams,
      @ForAll boolean fromStranger) {
    Connected c = CONNECTED.get(io);
    ClientPeer from = fromStranger ? c.stranger : c.client;
    for (Mutation m : datagrams) {
      from.send(m.apply(c));
    }

    StunMessage r =
        c.client.checkAndAwait(
            c.server.ice.ufrag(), c.server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
    assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    byte[] genuine = MediaFixtures.rtp(c.nextSeq++);
    c.client.sendRtp(genuine);
    try {
      // Only genuine packets are ever delivered, so the next one must be this one.
      assertThat(c.server.events.rtp.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(genuine);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(c.server.events.rtcp).isEmpty();
    assertThat(c.server.drops.count(DropReason.ENDPOINT_ERROR)).isZero();
    assertThat(OnLoop.call(c.server.port, c.server.transport::isConnected)).isTrue();
  }
}
