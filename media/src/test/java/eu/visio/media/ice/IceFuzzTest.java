package eu.visio.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The agent's handle is a return-code API: no input may make it throw. The SDP candidate parser
 * only ever throws {@link IceParseException}.
 */
class IceFuzzTest {
  private static final IceCredentials LOCAL =
      new IceCredentials("srvA", "serverPassword0123456789");
  private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.10", 50000);
  private static final byte[] VALID_CHECK = validCheck();

  private static byte[] validCheck() {
    byte[] b = new byte[256];
    int n =
        new StunWriter()
            .start(b, 0, b.length, StunClass.REQUEST, StunMethod.BINDING, new byte[12], 0)
            .addText(StunAttribute.USERNAME, "srvA:brwB")
            .addUint32(StunAttribute.PRIORITY, 0x6e0001ffL)
            .addFlag(StunAttribute.USE_CANDIDATE)
            .addUint64(StunAttribute.ICE_CONTROLLING, 7)
            .addMessageIntegrity(StunIntegrity.shortTerm(LOCAL.pwd()))
            .addFingerprint()
            .finish();
    return Arrays.copyOf(b, n);
  }

  @Property(tries = 2000)
  void agentNeverThrowsOnRandomBytes(@ForAll @Size(max = 300) byte[] in) {
    IceLiteAgent agent = new IceLiteAgent(LOCAL, "brwB", null);
    byte[] out = new byte[1500];
    IceCheckResult r = agent.handle(in, 0, in.length, SOURCE, 0, out, 0, out.length);
    assertThat(r.outcome().isValid()).isFalse();
  }

  @Property(tries = 3000)
  void agentNeverThrowsOnMutatedChecks(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 200) Integer> positions,
      @ForAll byte value,
      @ForAll @IntRange(min = -8, max = 0) int lengthDelta) {
    byte[] in = VALID_CHECK.clone();
    // Distinct indexes, so two flips never cancel out into the original check.
    for (int p : new TreeSet<>(positions.stream().map(i -> i % in.length).toList())) {
      in[p] ^= value == 0 ? 1 : value;
    }
    IceLiteAgent agent = new IceLiteAgent(LOCAL, "brwB", null);
    byte[] out = new byte[1500];
    IceCheckResult r = agent.handle(in, 0, in.length + lengthDelta, SOURCE, 0, out, 0, out.length);
    // Integrity and fingerprint cover every byte: no mutation may still validate.
    assertThat(r.outcome().isValid()).isFalse();
  }

  @Property(tries = 2000)
  void candidateParserOnlyThrowsItsOwnError(@ForAll("candidateLike") String sdp) {
    try {
      IceCandidate c = IceCandidate.parse(sdp);
      assertThat(IceCandidate.parse(c.toSdpAttribute())).isEqualTo(c);
    } catch (IceParseException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> candidateLike() {
    Arbitrary<String> token =
        Arbitraries.oneOf(
            Arbitraries.of(
                "candidate:1",
                "1",
                "udp",
                "tcp",
                "UDP",
                "typ",
                "host",
                "srflx",
                "prflx",
                "relay",
                "raddr",
                "rport",
                "tcptype",
                "active",
                "passive",
                "so",
                "generation",
                "0",
                "2130706431",
                "4294967295",
                "4294967296",
                "65535",
                "65536",
                "192.0.2.1",
                "::1",
                "x.local",
                "",
                "-1",
                "99999999999"),
            Arbitraries.strings().ofMaxLength(6));
    return token.list().ofMaxSize(14).map(l -> String.join(" ", l));
  }

  @Property(tries = 500)
  void validCandidatesRoundTrip(
      @ForAll @IntRange(min = 1, max = 256) int component,
      @ForAll @IntRange(min = 0, max = 65535) int localPreference,
      @ForAll @IntRange(min = 0, max = 65535) int port,
      @ForAll boolean tcp) {
    IceCandidate c =
        IceCandidate.host(
            "f" + component,
            component,
            tcp ? IceCandidate.Transport.TCP : IceCandidate.Transport.UDP,
            "192.0.2.1",
            port,
            localPreference);
    try {
      assertThat(IceCandidate.parse(c.toSdpAttribute())).isEqualTo(c);
    } catch (IceParseException e) {
      throw new AssertionError(e);
    }
  }
}
