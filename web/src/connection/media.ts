// The media side of the connection test: throwaway LiveKit sessions to this server (each in its own
// room, allowed nothing but joining), the path ICE chose, and the same through each TURN relay the
// server hands out, alone and with relay policy.
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

/** What POST /api/v1/connection-test answers. */
export interface TestGrant {
  token: string;
  /** This server's TURN (test credentials, short-lived), then the configured servers. */
  iceServers: IceServerInfo[];
  /** One more token per relay check, each its own room. */
  relayTokens: string[];
}

interface GrantBody {
  token: string;
  ice_servers?: IceServerInfo[];
  relay_tokens?: string[];
}

/** Asks the server for the test's tokens and ICE servers. */
export async function fetchGrant(): Promise<TestGrant> {
  const { body } = await request<GrantBody>('POST', '/api/v1/connection-test');
  return {
    token: body.token,
    iceServers: body.ice_servers ?? [],
    relayTokens: body.relay_tokens ?? [],
  };
}

export interface Session {
  /** Resolves when the signalling WebSocket is open, rejects when it could not be. */
  signalling: Promise<void>;
  /** Resolves once media flows (ICE and DTLS connected) with the path taken. */
  media: Promise<MediaPath>;
  close: () => Promise<void>;
}

function signallingUrl(): string {
  return (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host;
}

/**
 * Opens a throwaway session with {@code token}; with {@code rtcConfig} (relay policy and one TURN
 * server, say) instead of the ICE servers the server hands out.
 */
export function openSession(
  token: Promise<string>,
  timeoutMs: number,
  rtcConfig?: RTCConfiguration,
): Session {
  const room = new Room();
  let signalled!: () => void;
  const signalling = new Promise<void>((resolve) => (signalled = resolve));
  room.once(RoomEvent.SignalConnected, () => signalled());
  const connected = (async () => {
    await room.connect(signallingUrl(), await token, {
      autoSubscribe: false,
      peerConnectionTimeout: timeoutMs,
      websocketTimeout: timeoutMs,
      maxRetries: 0,
      rtcConfig,
    });
  })();
  const media = connected.then(() => selectedPath(room));
  return {
    // A failed connect before the WebSocket opened fails signalling too.
    signalling: Promise.race([signalling, connected.then(() => signalling)]),
    media,
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

/** How a TURN URL reaches its relay: UDP (the default), TCP, or TLS (turns:). */
export type RelayKind = 'udp' | 'tcp' | 'tls';

export function relayKind(url: string): RelayKind | null {
  if (url.startsWith('turns:')) {
    return 'tls';
  }
  if (!url.startsWith('turn:')) {
    return null;
  }
  return /[?&]transport=tcp\b/.test(url) ? 'tcp' : 'udp';
}

/** The first server and URL among {@code servers} reaching a relay by {@code kind}, alone. */
export function relayOf(servers: IceServerInfo[], kind: RelayKind): IceServerInfo | null {
  for (const s of servers) {
    const url = s.urls.find((u) => relayKind(u) === kind);
    if (url) {
      return { urls: [url], username: s.username, credential: s.credential };
    }
  }
  return null;
}

/**
 * Joins this server through {@code relay} alone with relay policy: resolves with the path when
 * media flows (its local candidate is then a relay), rejects when it cannot.
 */
export async function joinThroughRelay(
  token: string,
  relay: IceServerInfo,
  timeoutMs: number,
): Promise<MediaPath> {
  const session = openSession(Promise.resolve(token), timeoutMs, {
    iceServers: [relay],
    iceTransportPolicy: 'relay',
  });
  try {
    return await session.media;
  } finally {
    await session.close();
  }
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
