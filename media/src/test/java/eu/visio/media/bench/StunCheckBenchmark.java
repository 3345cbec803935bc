package eu.visio.media.bench;

import eu.visio.media.ice.IceCheckOutcome;
import eu.visio.media.ice.IceCheckResult;
import eu.visio.media.ice.IceCredentials;
import eu.visio.media.ice.IceLiteAgent;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One ICE connectivity check as a browser sends it every few hundred milliseconds per path (and as
 * consent freshness, RFC 7675): parse, FINGERPRINT and MESSAGE-INTEGRITY verification, path lookup,
 * and a signed, fingerprinted success response written into a reused buffer. The request is the
 * same bytes every time (a real peer varies the transaction id, which costs nothing extra), and its
 * source is an already-validated, nominated path: the steady state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StunCheckBenchmark {
  private static final IceCredentials LOCAL =
      new IceCredentials("srvA", "serverPassword0123456789");
  private static final String REMOTE_UFRAG = "brwB";

  private final byte[] request = new byte[256];
  private final byte[] response = new byte[1500];
  private final InetSocketAddress source = new InetSocketAddress("192.0.2.10", 50000);
  private IceLiteAgent agent;
  private int requestLength;
  private long now;

  @Setup
  public void setUp() {
    byte[] tx = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    requestLength =
        new StunWriter()
            .start(request, 0, request.length, StunClass.REQUEST, StunMethod.BINDING, tx, 0)
            .addText(StunAttribute.USERNAME, LOCAL.ufrag() + ":" + REMOTE_UFRAG)
            .addUint32(StunAttribute.PRIORITY, 0x6e0001ffL)
            .addUint64(StunAttribute.ICE_CONTROLLING, 0x0123456789ABCDEFL)
            .addFlag(StunAttribute.USE_CANDIDATE)
            .addMessageIntegrity(StunIntegrity.shortTerm(LOCAL.pwd()))
            .addFingerprint()
            .finish();
    agent = new IceLiteAgent(LOCAL, REMOTE_UFRAG, IceLiteAgent.Listener.NONE);
    IceCheckResult first = check();
    if (first.outcome() != IceCheckOutcome.NOMINATED || !first.hasResponse()) {
      throw new IllegalStateException("benchmark request is not a valid check: " + first);
    }
  }

  @Benchmark
  public IceCheckResult check() {
    return agent.handle(
        request, 0, requestLength, source, now += 1_000_000, response, 0, response.length);
  }
}
