package eu.visio.server.browser;

/**
 * Scripts that every livekit-client harness page runs the same way, whichever browser runs it (a
 * {@link LiveKitPage} on the host, or a lab's participant in a network namespace): each is the
 * inside of an async function, for {@link Chromium#runAsync}.
 */
public final class PageScripts {
  private PageScripts() {}

  /**
   * Keeps the peer connections the page creates from now on (livekit-client uses the global
   * constructor) in {@code window.recordedPeerConnections}, for {@link #SELECTED_CANDIDATE_PAIRS}.
   */
  public static final String RECORD_PEER_CONNECTIONS =
      """
      const Original = window.RTCPeerConnection;
      window.recordedPeerConnections = [];
      window.RTCPeerConnection = class extends Original {
        constructor(...args) {
          super(...args);
          window.recordedPeerConnections.push(this);
        }
      };
      return 0;
      """;

  /**
   * For each recorded, connected peer connection, its selected candidate pair from getStats: {@code
   * {local: {protocol, candidateType, tcpType, relayProtocol, url}, remote: {protocol,
   * candidateType, address, port}}} (absent strings are empty).
   */
  public static final String SELECTED_CANDIDATE_PAIRS =
      """
      const out = [];
      for (const pc of window.recordedPeerConnections ?? []) {
        if (pc.connectionState !== 'connected') continue;
        const stats = await pc.getStats();
        for (const t of stats.values()) {
          if (t.type !== 'transport' || !t.selectedCandidatePairId) continue;
          const pair = stats.get(t.selectedCandidatePairId);
          const local = stats.get(pair.localCandidateId);
          const remote = stats.get(pair.remoteCandidateId);
          out.push({
            local: {protocol: local.protocol, candidateType: local.candidateType,
                    tcpType: local.tcpType ?? '', relayProtocol: local.relayProtocol ?? '',
                    url: local.url ?? ''},
            remote: {protocol: remote.protocol, candidateType: remote.candidateType,
                     address: remote.address ?? '', port: remote.port}});
        }
      }
      return out;
      """;
}
