package eu.visio.media.sdp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a JSEP answer (RFC 8829 section 5.3) to a browser's unified-plan offer.
 *
 * <p>All accepted m-lines share one transport: BUNDLE (RFC 8843) and rtcp-mux (RFC 5761) are
 * required, so an m-line outside the offer's BUNDLE group or without rtcp-mux is rejected (port 0,
 * mid kept, RFC 8829 section 5.3.1). Per m-line one codec is chosen from {@link
 * AnswerPolicy#codecs} (or the send track's codecs) with its RTX and, for Opus, RED; payload types
 * and header extension ids are the offerer's. Simulcast offered with {@code a=simulcast:send} is
 * answered with the same rids as {@code recv} (RFC 8853 section 5.3).
 *
 * <pre>{@code
 * SdpAnswer a = SdpAnswerer.answer(SessionDescription.parse(body), local, AnswerPolicy.whipIngest());
 * return created(a.sdp().write());  // a.media() tells the SFU what was negotiated per mid
 * }</pre>
 */
public final class SdpAnswerer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SdpAnswerer() {}

  /**
   * Parses and answers an offer; see {@link #answer(SessionDescription, LocalTransportParams,
   * AnswerPolicy)}.
   */
  public static SdpAnswer answer(String offer, LocalTransportParams local, AnswerPolicy policy)
      throws SdpParseException {
    return answer(SessionDescription.parse(offer), local, policy);
  }

  /**
   * Answers an offer.
   *
   * @throws SdpParseException when the offer cannot be answered at all (a mid missing, no ICE
   *     credentials or fingerprint, both sides ICE-lite, or no acceptable m-line)
   */
  public static SdpAnswer answer(
      SessionDescription offer, LocalTransportParams local, AnswerPolicy policy)
      throws SdpParseException {
    if (local.iceLite() && offer.iceLite()) {
      throw new SdpParseException("offer is ICE-lite too");
    }
    return new SdpAnswerer.Run(offer, local, policy).run();
  }

  /** One negotiation; holds the per-answer state. */
  private static final class Run {
    private final SessionDescription offer;
    private final LocalTransportParams local;
    private final AnswerPolicy policy;
    private final List<String> offeredBundle;
    private final boolean[] trackUsed;
    private final int port;
    private final Connection connection;
    private final Map<String, MediaDescription> answered = new LinkedHashMap<>();
    private final List<NegotiatedMedia> negotiated = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private Setup localSetup;

    Run(SessionDescription offer, LocalTransportParams local, AnswerPolicy policy) {
      this.offer = offer;
      this.local = local;
      this.policy = policy;
      this.offeredBundle = offer.bundleMids();
      this.trackUsed = new boolean[policy.sendTracks().size()];
      String[] def = local.defaultAddress();
      this.port = def == null ? 9 : Integer.parseInt(def[1]);
      this.connection = def == null ? Connection.ANY_IP4 : Connection.of(def[0]);
    }

    SdpAnswer run() throws SdpParseException {
      MediaDescription tag = null;
      for (int i = 0; i < offer.media().size(); i++) {
        MediaDescription m = offer.media().get(i);
        if (m.mid() == null) {
          throw new SdpParseException("m-line " + (i + 1) + " has no mid");
        }
        boolean bundled =
            offeredBundle.isEmpty() ? negotiated.isEmpty() : offeredBundle.contains(m.mid());
        if (tag == null && bundled && !m.isRejected()) {
          // The first m-line we may accept fixes the transport: its ICE, DTLS role and fingerprint.
          localSetup = negotiateSetup(m.setup());
        }
        MediaDescription a = bundled && !m.isRejected() ? accept(m) : null;
        if (a == null) {
          rejected.add(m.mid());
          answered.put(m.mid(), reject(m));
        } else {
          answered.put(m.mid(), a);
          if (tag == null) {
            tag = m;
          }
        }
      }
      if (tag == null) {
        throw new SdpParseException("no acceptable media in offer");
      }
      return new SdpAnswer(build(), negotiated, rejected, remoteTransport(tag), localSetup);
    }

    private SessionDescription build() {
      String sessionId = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE);
      SessionDescription.Builder sb =
          SessionDescription.builder(Origin.of(sessionId, "2"))
              .iceLite(local.iceLite())
              .extmapAllowMixed(offer.extmapAllowMixed())
              .msidSemantic("WMS");
      List<String> bundle = new ArrayList<>();
      for (String mid : offeredBundle.isEmpty() ? answered.keySet() : offeredBundle) {
        if (!rejected.contains(mid)) {
          bundle.add(mid);
        }
      }
      if (!offeredBundle.isEmpty()) {
        sb.group(new Group("BUNDLE", bundle));
      }
      for (Map.Entry<String, MediaDescription> e : answered.entrySet()) {
        MediaDescription m = e.getValue();
        // Candidates go once, on the answerer's BUNDLE tag: the first mid of the answer's group.
        if (e.getKey().equals(bundle.getFirst()) && !local.candidates().isEmpty()) {
          m = m.toBuilder().candidates(local.candidates(), true).build();
        }
        sb.media(m);
      }
      return sb.build();
    }

    private Setup negotiateSetup(Setup offered) throws SdpParseException {
      Setup remote = offered != null ? offered : offer.setup();
      if (remote == null || remote == Setup.ACTPASS) {
        // RFC 8842 section 5.3: the answerer picks; absent means actpass for a JSEP offerer.
        return local.setup();
      }
      return switch (remote) {
        case ACTIVE -> Setup.PASSIVE;
        case PASSIVE -> Setup.ACTIVE;
        default -> throw new SdpParseException("offer has setup:holdconn");
      };
    }

    private SdpAnswer.RemoteTransport remoteTransport(MediaDescription tag)
        throws SdpParseException {
      String ufrag = tag.iceUfrag() != null ? tag.iceUfrag() : offer.iceUfrag();
      String pwd = tag.icePwd() != null ? tag.icePwd() : offer.icePwd();
      List<Fingerprint> fps =
          tag.fingerprints().isEmpty() ? offer.fingerprints() : tag.fingerprints();
      if (ufrag == null || pwd == null) {
        throw new SdpParseException("offer has no ICE credentials");
      }
      if (fps.isEmpty()) {
        throw new SdpParseException("offer has no DTLS fingerprint");
      }
      return new SdpAnswer.RemoteTransport(ufrag, pwd, fps);
    }

    private MediaDescription.Builder start(MediaDescription m, List<String> formats) {
      return MediaDescription.builder(m.kind(), port, m.proto(), formats)
          .connection(connection)
          .transport(local.iceUfrag(), local.icePwd(), local.fingerprint(), localSetup)
          .mid(m.mid());
    }

    private MediaDescription reject(MediaDescription m) {
      return MediaDescription.builder(m.kind(), 0, m.proto(), List.of(m.formats().getFirst()))
          .connection(Connection.ANY_IP4)
          .mid(m.mid())
          .build();
    }

    /** The answer m-line, or null to reject it. */
    private MediaDescription accept(MediaDescription m) {
      if (m.kind() == MediaKind.APPLICATION) {
        return acceptData(m);
      }
      if (!m.rtcpMux() || !m.proto().contains("RTP")) {
        return null;
      }
      Direction offered = m.effectiveDirection();
      boolean receive = policy.receive() && offered.sends();
      LocalTrack track = null;
      CodecNegotiator.Result codecs = null;
      LocalTrack pinned = policy.tracksByMid().get(m.mid());
      if (pinned != null) {
        if (offered.receives() && pinned.kind() == m.kind()) {
          codecs = CodecNegotiator.negotiate(m, pinned.codecs(), policy.red());
          track = codecs == null ? null : pinned;
        }
      } else if (offered.receives()) {
        for (int i = 0; i < trackUsed.length && track == null; i++) {
          LocalTrack t = policy.sendTracks().get(i);
          if (!trackUsed[i] && t.kind() == m.kind()) {
            codecs = CodecNegotiator.negotiate(m, t.codecs(), policy.red());
            if (codecs != null) {
              trackUsed[i] = true;
              track = t;
            }
          }
        }
      }
      if (track == null) {
        if (!receive && !policy.idleInactive()) {
          return null;
        }
        codecs = CodecNegotiator.negotiate(m, policy.codecsFor(m.kind()), policy.red());
        if (codecs == null) {
          return null;
        }
      }
      Direction dir = Direction.of(track != null, receive);
      MediaDescription.Builder b = start(m, codecs.formats()).direction(dir).rtcpMux(true);
      b.rtcpRsize(m.rtcpRsize());
      Map<String, Integer> extensions = new LinkedHashMap<>();
      Set<String> wanted = policy.extensionsFor(m.kind());
      for (Extmap e : m.extmaps()) {
        if (wanted.contains(e.uri()) && !extensions.containsKey(e.uri())) {
          extensions.put(e.uri(), e.id());
          Direction ed = e.direction() == null ? null : e.direction().reverse();
          b.extmap(new Extmap(e.id(), ed, e.uri(), null));
        }
      }
      for (RtpCodec c : codecs.answerCodecs()) {
        b.codec(c);
      }
      if (track != null) {
        addTrack(b, track, codecs.rtxPayloadType() != NegotiatedCodec.NO_RTX);
      }
      List<String> rids = receive ? answerSimulcast(m, b) : List.of();
      Remote remote = receive ? Remote.of(m) : Remote.NONE;
      negotiated.add(
          new NegotiatedMedia(
              m.mid(),
              m.kind(),
              dir,
              codecs.negotiated(),
              extensions,
              remote.ssrcs,
              remote.rtx,
              rids,
              remote.msid,
              remote.cname,
              track,
              m.rtcpRsize(),
              null));
      return b.build();
    }

    private static void addTrack(MediaDescription.Builder b, LocalTrack t, boolean rtx) {
      Msid msid = new Msid(t.streamId(), t.trackId());
      b.msid(msid);
      boolean withRtx = rtx && t.rtxSsrc() != 0;
      if (withRtx) {
        b.ssrcGroup(new SsrcGroup("FID", List.of(t.ssrc(), t.rtxSsrc())));
      }
      List<Attribute> attrs =
          List.of(new Attribute("cname", t.cname()), new Attribute("msid", msid.format()));
      b.ssrc(new Ssrc(t.ssrc(), attrs));
      if (withRtx) {
        b.ssrc(new Ssrc(t.rtxSsrc(), attrs));
      }
    }

    /**
     * Mirrors {@code a=simulcast:send} as {@code recv} with {@code a=rid ... recv} lines, keeping
     * only rids the offer declares for sending (RFC 8853 section 5.3). Returns the rids, flattened.
     */
    private static List<String> answerSimulcast(MediaDescription m, MediaDescription.Builder b) {
      if (m.simulcast() == null || m.simulcast().send().isEmpty()) {
        return List.of();
      }
      Set<String> declared = new HashSet<>();
      for (Rid r : m.rids()) {
        if (r.send()) {
          declared.add(r.id());
        }
      }
      List<List<Simulcast.Stream>> streams = new ArrayList<>();
      List<String> rids = new ArrayList<>();
      for (List<Simulcast.Stream> alternatives : m.simulcast().send()) {
        List<Simulcast.Stream> kept = new ArrayList<>();
        for (Simulcast.Stream s : alternatives) {
          if (declared.contains(s.rid()) && !rids.contains(s.rid())) {
            kept.add(s);
            rids.add(s.rid());
            b.rid(Rid.of(s.rid(), false));
          }
        }
        if (!kept.isEmpty()) {
          streams.add(kept);
        }
      }
      if (!streams.isEmpty()) {
        b.simulcast(new Simulcast(List.of(), streams));
      }
      return rids;
    }

    private MediaDescription acceptData(MediaDescription m) {
      if (policy.dataChannel() && m.proto().equals(LEGACY_SCTP)) {
        return acceptLegacyData(m);
      }
      boolean sctp = m.proto().equals("UDP/DTLS/SCTP") || m.proto().equals("TCP/DTLS/SCTP");
      if (!policy.dataChannel() || !sctp || !m.formats().contains("webrtc-datachannel")) {
        return null;
      }
      negotiated.add(
          NegotiatedMedia.dataChannel(
              m.mid(), policy.sctpPort(), m.sctpPort(), m.maxMessageSize()));
      return start(m, List.of("webrtc-datachannel"))
          .sctp(policy.sctpPort(), policy.maxMessageSize())
          .build();
    }

    /**
     * A data channel m-line in the form before RFC 8841 (draft-ietf-mmusic-sctp-sdp-05), which
     * aiortc still offers: {@code m=application 9 DTLS/SCTP 5000} with {@code a=sctpmap:5000
     * webrtc-datachannel 65535}, the SCTP port as the format. Answered in the same form, as the
     * answer keeps the offer's proto (RFC 3264 section 6).
     */
    private MediaDescription acceptLegacyData(MediaDescription m) {
      String format = m.formats().getFirst();
      long remotePort = Tokens.parseDecimal(format, 1, 65535);
      boolean mapped = false;
      for (Attribute a : m.otherAttributes()) {
        mapped |=
            a.name().equals("sctpmap")
                && a.value() != null
                && a.value().startsWith(format + " webrtc-datachannel");
      }
      if (remotePort < 0 || !mapped) {
        return null;
      }
      negotiated.add(
          NegotiatedMedia.dataChannel(
              m.mid(), policy.sctpPort(), (int) remotePort, m.maxMessageSize()));
      String port = Integer.toString(policy.sctpPort());
      return start(m, List.of(port))
          .attribute(new Attribute("sctpmap", port + " webrtc-datachannel 65535"))
          .maxMessageSize(policy.maxMessageSize())
          .build();
    }
  }

  /** The proto of a data channel m-line before RFC 8841. */
  private static final String LEGACY_SCTP = "DTLS/SCTP";

  /** The offerer's sources on one m-line. */
  private record Remote(List<Long> ssrcs, Map<Long, Long> rtx, Msid msid, String cname) {
    static final Remote NONE = new Remote(List.of(), Map.of(), null, null);

    static Remote of(MediaDescription m) {
      List<Long> ssrcs = new ArrayList<>();
      String cname = null;
      Msid msid = m.msids().isEmpty() ? null : m.msids().getFirst();
      for (Ssrc s : m.ssrcs()) {
        ssrcs.add(s.ssrc());
        cname = cname == null ? s.cname() : cname;
        msid = msid == null ? s.msid() : msid;
      }
      Map<Long, Long> rtx = new LinkedHashMap<>();
      for (SsrcGroup g : m.ssrcGroups()) {
        if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
          rtx.put(g.ssrcs().get(0), g.ssrcs().get(1));
        }
      }
      return new Remote(ssrcs, rtx, msid, cname);
    }
  }
}
