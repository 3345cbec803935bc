package eu.visio.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunParseException;
import eu.visio.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IceLiteAgentTest {
  private static final IceCredentials LOCAL =
      new IceCredentials("srvA", "serverPassword0123456789");
  private static final IceCredentials BROWSER =
      new IceCredentials("brwB", "browserPassword012345678");
  private static final InetSocketAddress HOST = new InetSocketAddress("192.0.2.10", 50000);
  private static final InetSocketAddress OTHER = new InetSocketAddress("2001:db8::7", 50001);
  private static final long S = TimeUnit.SECONDS.toNanos(1);

  private final List<String> events = new ArrayList<>();
  private final IceLiteAgent agent =
      new IceLiteAgent(
          LOCAL,
          BROWSER.ufrag(),
          new IceLiteAgent.Listener() {
            @Override
            public void onSelected(InetSocketAddress address) {
              events.add("selected " + address);
            }

            @Override
            public void onDisconnected() {
              events.add("disconnected");
            }
          });
  private final byte[] out = new byte[1500];
  private int txCounter;

  /** What the browser (the controlling full agent) puts in a check. */
  final class Check {
    StunClass cls = StunClass.REQUEST;
    int method = StunMethod.BINDING;
    String username = LOCAL.ufrag() + ":" + BROWSER.ufrag();
    String pwd = LOCAL.pwd();
    boolean priority = true;
    boolean useCandidate;
    boolean controlled;
    boolean integrity = true;
    boolean fingerprint = true;
    boolean corruptFingerprint;
    final byte[] tx = new byte[12];

    byte[] encode() {
      tx[0] = (byte) ++txCounter;
      byte[] b = new byte[512];
      StunWriter w = new StunWriter().start(b, 0, b.length, cls, method, tx, 0);
      if (username != null) {
        w.addText(StunAttribute.USERNAME, username);
      }
      if (priority) {
        w.addUint32(StunAttribute.PRIORITY, 0x6e0001ffL);
      }
      if (useCandidate) {
        w.addFlag(StunAttribute.USE_CANDIDATE);
      }
      w.addUint64(
          controlled ? StunAttribute.ICE_CONTROLLED : StunAttribute.ICE_CONTROLLING, 0x1234L);
      if (integrity) {
        w.addMessageIntegrity(StunIntegrity.shortTerm(pwd));
      }
      if (fingerprint) {
        w.addFingerprint();
      }
      int n = w.finish();
      if (corruptFingerprint) {
        b[n - 1] ^= 1;
      }
      return java.util.Arrays.copyOf(b, n);
    }
  }

  private IceCheckResult send(Check c, InetSocketAddress from, long now) {
    byte[] req = c.encode();
    return agent.handle(req, 0, req.length, from, now, out, 0, out.length);
  }

  private StunMessage response(IceCheckResult r) throws StunParseException {
    return StunMessage.parse(out, 0, r.responseLength());
  }

  @Test
  void validCheckGetsAuthenticatedSuccessWithMappedAddress() throws Exception {
    Check c = new Check();
    IceCheckResult r = send(c, HOST, 0);

    assertThat(r.outcome()).isEqualTo(IceCheckOutcome.SUCCESS);
    StunMessage m = response(r);
    assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(m.method()).isEqualTo(StunMethod.BINDING);
    assertThat(m.transactionIdEquals(c.tx, 0)).isTrue();
    assertThat(m.xorMappedAddress()).isEqualTo(HOST);
    assertThat(m.verifyMessageIntegrity(StunIntegrity.shortTerm(LOCAL.pwd()))).isTrue();
    assertThat(m.verifyFingerprint()).isTrue();
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.CONNECTED);
    assertThat(agent.isValidSource(HOST)).isTrue();
    assertThat(agent.selectedAddress()).isNull();
    assertThat(events).isEmpty();
  }

  @Test
  void ipv6SourceIsMappedToo() throws Exception {
    IceCheckResult r = send(new Check(), OTHER, 0);
    assertThat(response(r).xorMappedAddress()).isEqualTo(OTHER);
  }

  enum Rejection {
    NOT_BINDING(IceCheckOutcome.NOT_BINDING, 400, false),
    NO_FINGERPRINT(IceCheckOutcome.NO_FINGERPRINT, 400, false),
    BAD_FINGERPRINT(IceCheckOutcome.BAD_FINGERPRINT, 0, false),
    NO_USERNAME(IceCheckOutcome.NO_USERNAME, 400, false),
    NO_INTEGRITY(IceCheckOutcome.NO_INTEGRITY, 400, false),
    WRONG_LOCAL_UFRAG(IceCheckOutcome.UNKNOWN_USERNAME, 401, false),
    WRONG_REMOTE_UFRAG(IceCheckOutcome.UNKNOWN_USERNAME, 401, false),
    WRONG_PASSWORD(IceCheckOutcome.BAD_INTEGRITY, 401, false),
    NO_PRIORITY(IceCheckOutcome.NO_PRIORITY, 400, true),
    PEER_CLAIMS_CONTROLLED(IceCheckOutcome.ROLE_CONFLICT, 487, true);

    final IceCheckOutcome outcome;
    final int code;
    final boolean authenticated;

    Rejection(IceCheckOutcome outcome, int code, boolean authenticated) {
      this.outcome = outcome;
      this.code = code;
      this.authenticated = authenticated;
    }

    void apply(Check c) {
      switch (this) {
        case NOT_BINDING -> c.method = StunMethod.ALLOCATE;
        case NO_FINGERPRINT -> c.fingerprint = false;
        case BAD_FINGERPRINT -> c.corruptFingerprint = true;
        case NO_USERNAME -> c.username = null;
        case NO_INTEGRITY -> c.integrity = false;
        case WRONG_LOCAL_UFRAG -> c.username = "nope:" + BROWSER.ufrag();
        case WRONG_REMOTE_UFRAG -> c.username = LOCAL.ufrag() + ":nope";
        case WRONG_PASSWORD -> c.pwd = "someOtherPassword0123456";
        case NO_PRIORITY -> c.priority = false;
        case PEER_CLAIMS_CONTROLLED -> c.controlled = true;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Rejection.class)
  void everyRejection(Rejection rejection) throws Exception {
    Check c = new Check();
    c.useCandidate = true; // must not nominate anything when rejected
    rejection.apply(c);
    IceCheckResult r = send(c, HOST, 0);

    assertThat(r.outcome()).isEqualTo(rejection.outcome);
    assertThat(r.outcome().errorCode()).isEqualTo(rejection.code);
    assertThat(r.outcome().isValid()).isFalse();
    if (rejection.code == 0) {
      assertThat(r.hasResponse()).isFalse();
    } else {
      StunMessage m = response(r);
      assertThat(m.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
      assertThat(m.errorCode()).isEqualTo(rejection.code);
      assertThat(m.transactionIdEquals(c.tx, 0)).isTrue();
      assertThat(m.verifyFingerprint()).isTrue();
      assertThat(m.hasMessageIntegrity()).isEqualTo(rejection.authenticated);
      if (rejection.authenticated) {
        assertThat(m.verifyMessageIntegrity(StunIntegrity.shortTerm(LOCAL.pwd()))).isTrue();
      }
    }
    assertThat(agent.isValidSource(HOST)).isFalse();
    assertThat(agent.selectedAddress()).isNull();
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.NEW);
    assertThat(events).isEmpty();
  }

  @Test
  void dropReasonsAreCountable() {
    assertThat(IceCheckOutcome.UNKNOWN_USERNAME.dropReason()).isEqualTo(DropReason.UNKNOWN_UFRAG);
    assertThat(IceCheckOutcome.BAD_INTEGRITY.dropReason()).isEqualTo(DropReason.STUN_AUTH_FAILED);
    assertThat(IceCheckOutcome.SUCCESS.dropReason()).isNull();
  }

  /** RFC 5769 §2.1 is a real controlled-role check: a lite agent answers 487. */
  @Test
  void rfc5769SampleRequestIsARoleConflict() throws Exception {
    byte[] req =
        HexFormat.of()
            .parseHex(
                "000100582112a442b7e7a701bc34d686fa87dfae80220010"
                    + "5354554e207465737420636c69656e74002400046e0001ff"
                    + "80290008932ff9b151263b36000600096576746a3a683676"
                    + "59202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249"
                    + "c1b571a280280004e57a3bcf");
    IceLiteAgent rfcAgent =
        new IceLiteAgent(new IceCredentials("evtj", "VOkJxbRl1RmTxUk/WvJxBt"), "h6vY", null);
    IceCheckResult r = rfcAgent.handle(req, 0, req.length, HOST, 0, out, 0, out.length);
    assertThat(r.outcome()).isEqualTo(IceCheckOutcome.ROLE_CONFLICT);
    assertThat(response(r).errorReason()).isEqualTo("Role Conflict");
  }

  @Test
  void nonRequestsGetNoResponse() {
    Check indication = new Check();
    indication.cls = StunClass.INDICATION;
    assertThat(send(indication, HOST, 0).outcome()).isEqualTo(IceCheckOutcome.INDICATION);
    Check response = new Check();
    response.cls = StunClass.SUCCESS_RESPONSE;
    IceCheckResult r = send(response, HOST, 0);
    assertThat(r.outcome()).isEqualTo(IceCheckOutcome.UNEXPECTED_RESPONSE);
    assertThat(r.hasResponse()).isFalse();
    byte[] junk = {0, 1, 2, 3};
    assertThat(agent.handle(junk, 0, 4, HOST, 0, out, 0, out.length).outcome())
        .isEqualTo(IceCheckOutcome.MALFORMED);
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.NEW);
  }

  @Test
  void useCandidateNominatesAndRenominates() {
    Check nominate = new Check();
    nominate.useCandidate = true;

    assertThat(send(new Check(), HOST, 0).outcome()).isEqualTo(IceCheckOutcome.SUCCESS);
    assertThat(agent.selectedAddress()).isNull();

    assertThat(send(nominate, HOST, S).outcome()).isEqualTo(IceCheckOutcome.NOMINATED);
    assertThat(agent.selectedAddress()).isEqualTo(HOST);
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.COMPLETED);

    // Re-nominating the same path (browsers set USE-CANDIDATE on every check) is quiet.
    assertThat(send(nominate, HOST, 2 * S).outcome()).isEqualTo(IceCheckOutcome.NOMINATED);
    // A non-nominating check keeps the selection.
    assertThat(send(new Check(), HOST, 3 * S).outcome()).isEqualTo(IceCheckOutcome.SUCCESS);
    assertThat(agent.selectedAddress()).isEqualTo(HOST);

    // The controlling agent moves to another path (e.g. network change).
    assertThat(send(nominate, OTHER, 4 * S).outcome()).isEqualTo(IceCheckOutcome.NOMINATED);
    assertThat(agent.selectedAddress()).isEqualTo(OTHER);
    assertThat(events).containsExactly("selected " + HOST, "selected " + OTHER);
  }

  @Test
  void peerReflexiveSourceBecomesAValidPath() {
    Check nominate = new Check();
    nominate.useCandidate = true;
    send(nominate, HOST, 0);

    InetSocketAddress natted = new InetSocketAddress("198.51.100.9", 61000);
    IceCheckResult r = send(new Check(), natted, S);
    assertThat(r.outcome()).isEqualTo(IceCheckOutcome.SUCCESS);
    assertThat(agent.isValidSource(natted)).isTrue();
    assertThat(agent.validAddresses()).containsExactlyInAnyOrder(HOST, natted);
    assertThat(agent.selectedAddress()).isEqualTo(HOST);
    assertThat(agent.isValidSource(new InetSocketAddress("198.51.100.9", 61001))).isFalse();
  }

  @Test
  void consentExpiresThirtySecondsAfterTheLastValidCheck() {
    Check nominate = new Check();
    nominate.useCandidate = true;
    long t0 = 1_000 * S; // arbitrary monotonic origin
    send(nominate, HOST, t0);
    send(new Check(), OTHER, t0 + 5 * S);
    assertThat(agent.nextExpiryNanos()).isEqualTo(t0 + 30 * S);

    // A consent check at +20 s refreshes HOST until +50 s.
    send(new Check(), HOST, t0 + 20 * S);
    assertThat(agent.expireStale(t0 + 30 * S)).isEmpty();
    assertThat(agent.nextExpiryNanos()).isEqualTo(t0 + 35 * S);

    assertThat(agent.expireStale(t0 + 35 * S - 1)).isEmpty();
    assertThat(agent.expireStale(t0 + 35 * S)).containsExactly(OTHER);
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.COMPLETED);
    assertThat(events).containsExactly("selected " + HOST);

    assertThat(agent.expireStale(t0 + 50 * S - 1)).isEmpty();
    assertThat(agent.expireStale(t0 + 50 * S)).containsExactly(HOST);
    assertThat(agent.selectedAddress()).isNull();
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.DISCONNECTED);
    assertThat(agent.isValidSource(HOST)).isFalse();
    assertThat(agent.nextExpiryNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(events).containsExactly("selected " + HOST, "disconnected");

    // The browser comes back and nominates again.
    assertThat(send(nominate, HOST, t0 + 60 * S).outcome()).isEqualTo(IceCheckOutcome.NOMINATED);
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.COMPLETED);
    assertThat(events).containsExactly("selected " + HOST, "disconnected", "selected " + HOST);
  }

  @Test
  void selectedPathExpiringDisconnectsEvenIfOthersLive() {
    Check nominate = new Check();
    nominate.useCandidate = true;
    send(nominate, HOST, 0);
    send(new Check(), OTHER, 10 * S);
    assertThat(agent.expireStale(30 * S)).containsExactly(HOST);
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.DISCONNECTED);
    assertThat(agent.selectedAddress()).isNull();
    assertThat(agent.isValidSource(OTHER)).isTrue();
    assertThat(events).containsExactly("selected " + HOST, "disconnected");
  }

  @Test
  void unnominatedAgentDisconnectsWhenAllPathsExpire() {
    send(new Check(), HOST, 0);
    assertThat(agent.expireStale(30 * S)).containsExactly(HOST);
    assertThat(agent.state()).isEqualTo(IceLiteAgent.State.DISCONNECTED);
    assertThat(events).containsExactly("disconnected");
  }

  @Test
  void restartAcceptsOldCredentialsUntilTheNewOnesSucceed() {
    Check nominate = new Check();
    nominate.useCandidate = true;
    send(nominate, HOST, 0);

    IceCredentials newLocal = new IceCredentials("srvN", "newServerPassword0123456");
    agent.restart(newLocal, "brwN");
    assertThat(agent.isRestarting()).isTrue();
    assertThat(agent.localCredentials()).isEqualTo(newLocal);

    // Consent checks with the old credentials still pass while the new offer/answer settles.
    assertThat(send(new Check(), HOST, S).outcome()).isEqualTo(IceCheckOutcome.SUCCESS);
    assertThat(agent.isRestarting()).isTrue();

    Check fresh = new Check();
    fresh.username = "srvN:brwN";
    fresh.pwd = newLocal.pwd();
    // Wrong password for the new ufrag must not complete the restart.
    Check forged = new Check();
    forged.username = "srvN:brwN";
    assertThat(send(forged, HOST, 2 * S).outcome()).isEqualTo(IceCheckOutcome.BAD_INTEGRITY);
    assertThat(agent.isRestarting()).isTrue();

    IceCheckResult r = send(fresh, HOST, 3 * S);
    assertThat(r.outcome()).isEqualTo(IceCheckOutcome.SUCCESS);
    assertThat(agent.isRestarting()).isFalse();

    // From now on the old credentials are refused.
    assertThat(send(new Check(), HOST, 4 * S).outcome())
        .isEqualTo(IceCheckOutcome.UNKNOWN_USERNAME);
    assertThat(agent.selectedAddress()).isEqualTo(HOST);
  }

  @Test
  void restartResponsesAreSignedWithTheMatchingPassword() throws Exception {
    IceCredentials newLocal = new IceCredentials("srvN", "newServerPassword0123456");
    agent.restart(newLocal, null);
    IceCheckResult old = send(new Check(), HOST, 0);
    assertThat(response(old).verifyMessageIntegrity(StunIntegrity.shortTerm(LOCAL.pwd()))).isTrue();
    Check fresh = new Check();
    fresh.username = "srvN:anything";
    fresh.pwd = newLocal.pwd();
    IceCheckResult r = send(fresh, HOST, 0);
    assertThat(response(r).verifyMessageIntegrity(StunIntegrity.shortTerm(newLocal.pwd())))
        .isTrue();
  }

  @Test
  void unknownRemoteUfragAcceptsAnyPeerPartUntilSet() {
    IceLiteAgent early = new IceLiteAgent(LOCAL, null, null);
    byte[] req = checkWithUsername(LOCAL.ufrag() + ":whoever");
    assertThat(early.handle(req, 0, req.length, HOST, 0, out, 0, out.length).outcome())
        .isEqualTo(IceCheckOutcome.SUCCESS);
    early.setRemoteUfrag(BROWSER.ufrag());
    req = checkWithUsername(LOCAL.ufrag() + ":whoever");
    assertThat(early.handle(req, 0, req.length, HOST, 0, out, 0, out.length).outcome())
        .isEqualTo(IceCheckOutcome.UNKNOWN_USERNAME);
    req = checkWithUsername(LOCAL.ufrag() + ":" + BROWSER.ufrag());
    assertThat(early.handle(req, 0, req.length, HOST, 0, out, 0, out.length).outcome())
        .isEqualTo(IceCheckOutcome.SUCCESS);
    // A prefix of our ufrag is not our ufrag.
    req = checkWithUsername("srv:" + BROWSER.ufrag());
    assertThat(early.handle(req, 0, req.length, HOST, 0, out, 0, out.length).outcome())
        .isEqualTo(IceCheckOutcome.UNKNOWN_USERNAME);
  }

  private byte[] checkWithUsername(String username) {
    Check c = new Check();
    c.username = username;
    return c.encode();
  }

  @Test
  void pathCountIsBoundedAndTheSelectedPathSurvivesEviction() {
    Check nominate = new Check();
    nominate.useCandidate = true;
    send(nominate, HOST, 0);
    for (int i = 0; i < IceLiteAgent.MAX_PATHS + 5; i++) {
      send(new Check(), new InetSocketAddress("198.51.100.1", 40000 + i), (i + 1) * S);
    }
    assertThat(agent.validAddresses()).hasSize(IceLiteAgent.MAX_PATHS).contains(HOST);
    assertThat(agent.isValidSource(new InetSocketAddress("198.51.100.1", 40000))).isFalse();
    assertThat(agent.isValidSource(new InetSocketAddress("198.51.100.1", 40000 + 20))).isTrue();
  }

  @Test
  void toStringHidesPasswords() {
    assertThat(agent.toString()).contains("srvA").doesNotContain(LOCAL.pwd());
  }
}
