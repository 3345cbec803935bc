// The media side of the connection test: a throwaway LiveKit session to this server (its own room,
// allowed nothing but joining), the path ICE chose, and whether the TURN relays the server hands
// out answer.
import { Room, RoomEvent } from 'livekit-client';
import { request } from '../api/http';

export interface MediaPath {
  /** 'udp' or 'tcp', from the selected candidate pair. */
  protocol: string;
  /** host, srflx, prflx or relay: how this browser reached the server. */
  candidateType: string;
  /** Round-trip time in milliseconds, when the browser measured it. */
  rttMs?: number;
}

export interface IceServerInfo {
  urls: string[];
  username: string;
  credential: string;
}

export interface Session {
  /** Resolves when the signalling WebSocket is open, rejects when it could not be. */
  signalling: Promise<void>;
  /** Resolves once media flows (ICE and DTLS connected) with the path taken. */
  media: Promise<MediaPath>;
  /** The STUN and TURN servers the server handed out (after signalling). */
  iceServers: () => IceServerInfo[];
  close: () => Promise<void>;
}

function signallingUrl(): string {
  return (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host;
}

/** Opens the throwaway session. */
export function openSession(timeoutMs: number): Session {
  const room = new Room();
  let signalled!: () => void;
  const signalling = new Promise<void>((resolve) => (signalled = resolve));
  room.once(RoomEvent.SignalConnected, () => signalled());
  const connected = (async () => {
    const { body } = await request<{ token: string }>('POST', '/api/v1/connection-test');
    await room.connect(signallingUrl(), body.token, {
      autoSubscribe: false,
      peerConnectionTimeout: timeoutMs,
      websocketTimeout: timeoutMs,
      maxRetries: 0,
    });
  })();
  const media = connected.then(() => selectedPath(room));
  return {
    // A failed connect before the WebSocket opened fails signalling too.
    signalling: Promise.race([signalling, connected.then(() => signalling)]),
    media,
    iceServers: () =>
      (room.engine?.latestJoinResponse?.iceServers ?? []).map((s) => ({
        urls: [...s.urls],
        username: s.username,
        credential: s.credential,
      })),
    close: () => room.disconnect(),
  };
}

/** The candidate pair the peer connection settled on. */
async function selectedPath(room: Room): Promise<MediaPath> {
  const pcs = room.engine.pcManager;
  const reports = await Promise.all([pcs?.publisher.getStats(), pcs?.subscriber?.getStats()]);
  for (const report of reports) {
    if (!report) {
      continue;
    }
    const byId = new Map<string, Record<string, unknown>>();
    report.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
    for (const s of byId.values()) {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) {
        continue;
      }
      const pair = byId.get(s.selectedCandidatePairId as string);
      const local = pair && byId.get(pair.localCandidateId as string);
      if (pair && local) {
        const rtt = pair.currentRoundTripTime as number | undefined;
        return {
          protocol: String(local.protocol),
          candidateType: String(local.candidateType),
          rttMs: rtt === undefined ? undefined : Math.round(rtt * 1000),
        };
      }
    }
  }
  throw new Error('no selected candidate pair');
}

/** Whether a TURN URL reaches its relay over TCP (turn:...?transport=tcp, or turns:). */
export function isTcpTurn(url: string): boolean {
  return url.startsWith('turns:') || (url.startsWith('turn:') && /[?&]transport=tcp\b/.test(url));
}

/**
 * Whether the TURN servers among {@code servers} whose URLs pass {@code accept} hand this browser a
 * relay address: a relay candidate gathered means the relay was reached and allocated for us.
 * Null when none of them qualifies.
 */
export async function relayReachable(
  servers: IceServerInfo[],
  accept: (url: string) => boolean,
  timeoutMs: number,
): Promise<boolean | null> {
  const relays = servers
    .map((s) => ({ ...s, urls: s.urls.filter((u) => u.startsWith('turn') && accept(u)) }))
    .filter((s) => s.urls.length > 0);
  if (relays.length === 0) {
    return null;
  }
  const pc = new RTCPeerConnection({ iceServers: relays, iceTransportPolicy: 'relay' });
  try {
    const found = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      pc.addEventListener('icecandidate', (e) => {
        if (e.candidate?.type === 'relay') {
          clearTimeout(timer);
          resolve(true);
        } else if (!e.candidate) {
          clearTimeout(timer);
          resolve(false); // gathering over without a relay
        }
      });
    });
    pc.createDataChannel('probe');
    await pc.setLocalDescription(await pc.createOffer());
    return await found;
  } finally {
    pc.close();
  }
}
