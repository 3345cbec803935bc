// Test harness: livekit-client driven by the server's browser tests through window.visio.
// It is the real SDK, as LiveKit's own apps use it; apart from knock() (the meeting API's lobby,
// as the meeting page uses it), nothing here talks to the server directly.
import {
  ConnectionState,
  LocalTrackPublication,
  RemoteParticipant,
  RemoteTrack,
  RemoteTrackPublication,
  Room,
  RoomEvent,
  RpcError,
  Track,
  setLogExtension,
  setLogLevel,
} from 'livekit-client';

export interface ConnectOptions {
  singlePeerConnection?: boolean;
  adaptiveStream?: boolean;
  dynacast?: boolean;
  camera?: boolean;
  microphone?: boolean;
  simulcast?: boolean;
  width?: number;
  height?: number;
}

interface TrackState {
  sid: string;
  kind: string;
  source: string;
  subscribed: boolean;
  muted: boolean;
  streamState: string;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  packetsReceived: number;
  bytesReceived: number;
  totalSamplesReceived: number;
}

let room: Room | undefined;
let connectStartedAt = 0;
let firstFrameAt = 0;
// Milliseconds from connect() to each step of the latest join, for the join benchmark.
const marks: Record<string, number> = {};
function mark(step: string): void {
  if (!(step in marks)) {
    marks[step] = Math.round(performance.now() - connectStartedAt);
  }
}
const events: string[] = [];
const clientLog: string[] = [];
const errors: string[] = [];
const tiles = new Map<string, HTMLDivElement>();
// Data packets received: who sent them, on which topic, the text, its size in bytes and whether
// its bytes are the pattern() of that size (for large binary messages).
// `at` is when it arrived, on the page's high-resolution clock (ms since the epoch).
const received: {
  from: string;
  topic: string;
  text: string;
  size: number;
  pattern: boolean;
  at: number;
}[] = [];
// Chat messages (sendChatMessage), text streams (sendText) and byte streams (sendFile) received.
const chats: { from: string; text: string }[] = [];
const streams: {
  kind: 'text' | 'bytes';
  from: string;
  topic: string;
  text: string;
  name: string;
  size: number;
  pattern: boolean;
}[] = [];
// The topics whose streams are read (livekit-client drops streams on topics without a handler).
const STREAM_TOPICS = ['text', 'file'];

/** n bytes of a fixed pattern: large messages are checked whole without carrying them back. */
function pattern(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    b[i] = (i * 31 + (i >> 8)) & 0xff;
  }
  return b;
}

function isPattern(b: Uint8Array): boolean {
  const p = pattern(b.length);
  return b.every((v, i) => v === p[i]);
}

/** A protobuf length-delimited field (wire type 2): tag, varint length, bytes. */
function field(number: number, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const head: number[] = [(number << 3) | 2];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      head.push(n);
      break;
    }
    head.push((n & 0x7f) | 0x80);
  }
  return concat(new Uint8Array(head), bytes);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function record(event: string, who?: string): void {
  events.push(who ? `${event}:${who}` : event);
  if (events.length > 200) {
    events.shift();
  }
}

function fail(what: string, e: unknown): never {
  const message = `${what}: ${e instanceof Error ? e.message : String(e)}`;
  errors.push(message);
  console.error(message);
  throw new Error(message);
}

/** One box per remote participant, sized by setVideoSize: adaptive stream reads element sizes. */
function tile(identity: string): HTMLDivElement {
  let t = tiles.get(identity);
  if (!t) {
    t = document.createElement('div');
    t.className = 'tile';
    t.dataset.identity = identity;
    t.style.width = '640px';
    t.style.height = '360px';
    document.getElementById('tiles')!.appendChild(t);
    tiles.set(identity, t);
  }
  return t;
}

function attach(track: RemoteTrack, participant: RemoteParticipant): void {
  const el = track.attach();
  if (track.kind === Track.Kind.Video) {
    const video = el as HTMLVideoElement;
    video.muted = true;
    video.style.width = '100%';
    video.style.height = '100%';
    const onFrame = () => {
      if (firstFrameAt === 0) {
        firstFrameAt = performance.now();
        mark('firstFrame');
      }
    };
    if ('requestVideoFrameCallback' in video) {
      video.requestVideoFrameCallback(onFrame);
    } else {
      (video as HTMLVideoElement).addEventListener('loadeddata', onFrame, { once: true });
    }
  }
  tile(participant.identity).appendChild(el);
}

async function trackState(pub: RemoteTrackPublication): Promise<TrackState> {
  const s: TrackState = {
    sid: pub.trackSid,
    kind: pub.kind,
    source: pub.source,
    subscribed: pub.isSubscribed,
    muted: pub.isMuted,
    streamState: pub.track?.streamState ?? '',
    framesDecoded: 0,
    frameWidth: 0,
    frameHeight: 0,
    packetsReceived: 0,
    bytesReceived: 0,
    totalSamplesReceived: 0,
  };
  const receiver = pub.track?.receiver;
  if (receiver) {
    const report = await receiver.getStats();
    report.forEach((r) => {
      if (r.type === 'inbound-rtp') {
        s.framesDecoded = r.framesDecoded ?? 0;
        s.frameWidth = r.frameWidth ?? 0;
        s.frameHeight = r.frameHeight ?? 0;
        s.packetsReceived = r.packetsReceived ?? 0;
        s.bytesReceived = r.bytesReceived ?? 0;
        s.totalSamplesReceived = r.totalSamplesReceived ?? 0;
      }
    });
  }
  return s;
}

// The guest's side of a lobby (knock()): where it stands, when the page learnt its decision
// (Date.now()), the token once admitted, how many times it asked POST /join, and whether its event
// stream has delivered its first state.
const lobby = { status: '', listening: false, decidedAt: 0, token: '', joins: 0, error: '' };

/**
 * Knocks as the meeting page does: a guest session (its cookie stays in the browser), POST /join;
 * waiting, the lobby's server-sent events until a decision, never polling; admitted, POST /join
 * once more for the token (the events never carry it).
 */
async function knock(code: string, name: string): Promise<void> {
  const session = await fetch('/api/v1/session/guest', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const csrf = ((await session.json()) as { csrf_token: string }).csrf_token;
  const join = async (): Promise<{ status: string; token?: string }> => {
    lobby.joins++;
    const r = await fetch(`/api/v1/rooms/${code}/join`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf },
    });
    return (await r.json()) as { status: string; token?: string };
  };
  let answer = await join();
  lobby.status = answer.status;
  if (answer.status === 'waiting') {
    lobby.status = await new Promise<string>((resolve, reject) => {
      const source = new EventSource(`/api/v1/rooms/${code}/events`);
      source.addEventListener('lobby', (e) => {
        const status = (JSON.parse((e as MessageEvent<string>).data) as { status: string }).status;
        lobby.listening = true;
        if (status !== 'waiting') {
          lobby.decidedAt = Date.now();
          source.close();
          resolve(status);
        }
      });
      source.onerror = () => {
        // EventSource retries a dropped stream itself; a refused one (403, 429) it gives up on.
        if (source.readyState === EventSource.CLOSED) {
          reject(new Error('lobby events refused'));
        }
      };
    });
    if (lobby.status === 'admitted') {
      answer = await join();
    }
  }
  lobby.token = answer.token ?? '';
}

const visio = {
  /** Starts knock() and returns at once; lobbyState() follows it. */
  knock(code: string, name: string) {
    knock(code, name).catch((e: unknown) => {
      lobby.error = String(e);
    });
    return 0;
  },

  lobbyState() {
    return { ...lobby };
  },

  async connect(url: string, token: string, o: ConnectOptions = {}) {
    if (room) {
      await room.disconnect();
    }
    const width = o.width ?? 1280;
    const height = o.height ?? 720;
    const r = new Room({
      adaptiveStream: o.adaptiveStream ?? false,
      dynacast: o.dynacast ?? false,
      singlePeerConnection: o.singlePeerConnection ?? true,
      videoCaptureDefaults: { resolution: { width, height } },
      publishDefaults: { simulcast: o.simulcast ?? true },
    });
    room = r;
    firstFrameAt = 0;
    for (const k of Object.keys(marks)) {
      delete marks[k];
    }
    r.on(RoomEvent.SignalConnected, () => mark('signalConnected'));
    r.on(RoomEvent.Connected, () => mark('connected'));
    r.on(RoomEvent.TrackSubscribed, (track, _pub, p) => {
      mark(`subscribed-${track.kind}`);
      record('trackSubscribed', p.identity);
      attach(track, p);
    });
    r.on(RoomEvent.TrackUnsubscribed, (track, _pub, p) => {
      record('trackUnsubscribed', p.identity);
      track.detach().forEach((el) => el.remove());
    });
    r.on(RoomEvent.ParticipantConnected, (p) => record('participantConnected', p.identity));
    r.on(RoomEvent.ParticipantDisconnected, (p) => {
      record('participantDisconnected', p.identity);
      tiles.get(p.identity)?.remove();
      tiles.delete(p.identity);
    });
    r.on(RoomEvent.TrackMuted, (_pub, p) => record('trackMuted', p.identity));
    r.on(RoomEvent.TrackUnmuted, (_pub, p) => record('trackUnmuted', p.identity));
    r.on(RoomEvent.DataReceived, (payload, p, _kind, topic) =>
      received.push({
        from: p?.identity ?? '',
        topic: topic ?? '',
        text: payload.length > 1024 ? '' : new TextDecoder().decode(payload),
        size: payload.length,
        pattern: isPattern(payload),
        at: performance.timeOrigin + performance.now(),
      }),
    );
    r.on(RoomEvent.ChatMessage, (m, p) => chats.push({ from: p?.identity ?? '', text: m.message }));
    for (const topic of STREAM_TOPICS) {
      r.registerTextStreamHandler(topic, async (reader, from) => {
        const text = await reader.readAll();
        streams.push({ kind: 'text', from: from.identity, topic, text, name: '', size: text.length, pattern: false });
      });
      r.registerByteStreamHandler(topic, async (reader, from) => {
        const chunks = await reader.readAll();
        const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          bytes.set(c, at);
          at += c.length;
        }
        streams.push({
          kind: 'bytes',
          from: from.identity,
          topic,
          text: '',
          name: reader.info.name,
          size: bytes.length,
          pattern: isPattern(bytes),
        });
      });
    }
    // An RPC method for the tests: echoes the caller and the payload upper-cased; "fail" answers
    // with an application error.
    r.registerRpcMethod('shout', async (d) => {
      if (d.payload === 'fail') {
        throw new RpcError(2001, 'told to fail', `by ${d.callerIdentity}`);
      }
      return `${d.callerIdentity}:${d.payload.toUpperCase()}`;
    });
    r.on(RoomEvent.Reconnecting, () => record('reconnecting'));
    r.on(RoomEvent.Reconnected, () => record('reconnected'));
    r.on(RoomEvent.SignalReconnecting, () => record('signalReconnecting'));
    r.on(RoomEvent.Disconnected, (reason) => record(`disconnected(${reason ?? ''})`));
    r.on(RoomEvent.ActiveSpeakersChanged, (speakers) =>
      record('activeSpeakers', speakers.map((s) => s.identity).join('+')),
    );
    connectStartedAt = performance.now();
    try {
      await r.connect(url, token);
    } catch (e) {
      fail('connect', e);
    }
    record('connected');
    try {
      if (o.camera) {
        await r.localParticipant.setCameraEnabled(true);
      }
      if (o.microphone) {
        await r.localParticipant.setMicrophoneEnabled(true);
      }
    } catch (e) {
      fail('publish', e);
    }
    return { sid: r.localParticipant.sid, identity: r.localParticipant.identity };
  },

  async state() {
    const r = room;
    const remotes = [];
    if (r) {
      for (const p of r.remoteParticipants.values()) {
        const tracks = [];
        for (const pub of p.trackPublications.values()) {
          tracks.push(await trackState(pub));
        }
        remotes.push({
          identity: p.identity,
          sid: p.sid,
          connectionQuality: p.connectionQuality,
          speaking: p.isSpeaking,
          tracks,
        });
      }
    }
    return {
      connectionState: r?.state ?? ConnectionState.Disconnected,
      sid: r?.localParticipant.sid ?? '',
      identity: r?.localParticipant.identity ?? '',
      roomName: r?.name ?? '',
      remotes,
      events: [...events],
      data: [...received],
      chats: [...chats],
      streams: [...streams],
      errors: [...errors],
    };
  },

  /**
   * The simulcast encodings the local camera sends now, by rid, as the sender's parameters say
   * (dynacast turns off those nobody receives).
   */
  publishedLayers() {
    const layers: Record<string, boolean> = {};
    for (const pub of room?.localParticipant.videoTrackPublications.values() ?? []) {
      const sender = pub.track?.sender;
      for (const e of sender?.getParameters().encodings ?? []) {
        layers[e.rid ?? 'single'] = e.active !== false;
      }
    }
    return layers;
  },

  /** Resizes a participant's tile (CSS pixels): adaptive stream asks for a fitting layer. */
  setVideoSize(identity: string, width: number, height: number) {
    const t = tile(identity);
    t.style.width = `${width}px`;
    t.style.height = `${height}px`;
  },

  async setCamera(enabled: boolean) {
    await room?.localParticipant.setCameraEnabled(enabled);
  },

  async setMicrophone(enabled: boolean) {
    await room?.localParticipant.setMicrophoneEnabled(enabled);
  },

  /** Mutes a published track (the client sends MuteTrackRequest); the track stays published. */
  async muteTrack(kind: 'audio' | 'video', muted: boolean) {
    const pubs: LocalTrackPublication[] = [...(room?.localParticipant.trackPublications.values() ?? [])];
    const pub = pubs.find((p) => p.kind === kind);
    if (!pub) {
      fail('muteTrack', `no ${kind} track published`);
    }
    await (muted ? pub.mute() : pub.unmute());
  },

  /** Drops the signalling WebSocket the way a network change does: the client resumes. */
  async killSignal() {
    await room?.simulateScenario('signal-reconnect');
  },

  /** Sends a data packet (LiveKit's publishData) to everyone, or to the identities given. */
  async publishData(text: string, reliable: boolean, topic: string, to: string[] = []) {
    await room?.localParticipant.publishData(new TextEncoder().encode(text), {
      reliable,
      topic,
      destinationIdentities: to,
    });
  },

  /**
   * Sends {@code count} data packets {@code intervalMs} apart, each carrying its send time on the
   * high-resolution clock, for latency measurements (the receiver records arrival in `at`).
   */
  async pingData(count: number, intervalMs: number, reliable: boolean, topic: string) {
    for (let i = 0; i < count; i++) {
      const sent = performance.timeOrigin + performance.now();
      await room?.localParticipant.publishData(new TextEncoder().encode(String(sent)), {
        reliable,
        topic,
      });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  },

  /** Sends n bytes of pattern() with publishData; the error message if the client refuses. */
  async publishBytes(n: number, reliable: boolean, topic: string): Promise<string> {
    try {
      await room?.localParticipant.publishData(pattern(n), { reliable, topic });
      return '';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },

  /**
   * From now on keeps livekit-client's debug log, each line prefixed with Date.now(), for a test
   * that times the SDK's own steps; clientLog() returns it.
   */
  captureClientLog() {
    setLogLevel('debug');
    // Never throws into the SDK: a context can hold a BigInt or a cycle, which JSON.stringify
    // refuses, and an exception here would abort whatever the SDK was logging from.
    setLogExtension((_level, msg, context) => {
      let detail = '';
      try {
        detail = context
          ? JSON.stringify(context, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).slice(0, 200)
          : '';
      } catch {
        detail = '(context not serialisable)';
      }
      clientLog.push(`${Date.now()} ${msg} ${detail}`);
    });
  },

  clientLog() {
    return [...clientLog];
  },

  /**
   * Whether livekit-client's engine is still inside a reconnection. After a full reconnect it can
   * report the room reconnected (its new connection came up before its tracks were republished)
   * while its engine still waits out a fixed 2 s: reliable data sent then is queued for a resume
   * replay that a full reconnect never runs, so it is never sent. Tests that check data after a
   * failover wait for this to clear, as an app cannot know to.
   */
  engineReconnecting(): boolean {
    return (
      (room as unknown as { engine?: { attemptingReconnect?: boolean } })?.engine
        ?.attemptingReconnect === true
    );
  },

  /**
   * The peer connections' states and the local camera's packets sent, for timing a reconnection
   * step by step (which of ICE and DTLS, the first RTP out, the first RTP in takes the time).
   */
  async transports() {
    const pcs = (room as unknown as {
      engine?: {
        pcManager?: {
          publisher?: { getConnectionState(): string };
          subscriber?: { getConnectionState(): string };
        };
      };
    })?.engine?.pcManager;
    let videoSent = 0;
    for (const pub of room?.localParticipant.videoTrackPublications.values() ?? []) {
      const report = await pub.track?.sender?.getStats();
      report?.forEach((r) => {
        if (r.type === 'outbound-rtp') videoSent += r.packetsSent ?? 0;
      });
    }
    return {
      publisher: pcs?.publisher?.getConnectionState() ?? 'none',
      subscriber: pcs?.subscriber?.getConnectionState() ?? 'none',
      videoSent,
    };
  },

  /**
   * The largest data channel message: as the publisher connection's SCTP transport has it (the
   * smaller of ours, from the answer's a=max-message-size, and the browser's).
   */
  maxMessageSize(): number {
    return (
      (room as unknown as { engine?: { pcManager?: { getMaxPublisherMessageSize(): number } } })
        ?.engine?.pcManager?.getMaxPublisherMessageSize() ?? -1
    );
  },

  /**
   * Sends a user DataPacket of n pattern() bytes straight on the publisher's reliable data
   * channel, past livekit-client's own 64,000-byte cap, to show the transport carries what the
   * SDP agreed (a=max-message-size). The protobuf is written by hand: DataPacket{kind: RELIABLE,
   * user: UserPacket{payload: 2, topic: 4}}. The error message if the browser refuses.
   */
  sendRawData(n: number, topic: string): string {
    const engine = (room as unknown as {
      engine: { dataChannelForKind(kind: number): RTCDataChannel | undefined };
    }).engine;
    const dc = engine.dataChannelForKind(0);
    if (!dc) {
      return 'no reliable data channel';
    }
    const user = concat(field(2, pattern(n)), field(4, new TextEncoder().encode(topic)));
    try {
      dc.send(concat(new Uint8Array([0x08, 0x00]), field(2, user)));
      return '';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },

  /**
   * Opens an extra data channel on the publisher connection, sends on it, then closes it: the
   * browser resets its stream (RFC 8831 §6.7) and fires 'close' only once the server has reset its
   * own direction in turn. Returns the channel's states as they came.
   */
  async openAndCloseChannel(label: string): Promise<string[]> {
    const pcm = (room as unknown as {
      engine: { pcManager: { createPublisherDataChannel(l: string, d: object): RTCDataChannel } };
    }).engine.pcManager;
    const dc = pcm.createPublisherDataChannel(label, { ordered: true });
    const states: string[] = [];
    const wait = (event: string) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => resolve(), 10_000);
        dc.addEventListener(event, () => {
          clearTimeout(t);
          states.push(event);
          resolve();
        });
      });
    await wait('open');
    dc.send('last words');
    const closed = wait('close');
    dc.close();
    await closed;
    states.push(dc.readyState);
    return states;
  },

  /** A text stream (sendText) to everyone or the identities given. */
  async sendText(text: string, topic: string, to: string[] = []) {
    const info = await room?.localParticipant.sendText(text, { topic, destinationIdentities: to });
    return info?.id ?? '';
  },

  /** A chat message (the deprecated chat packet, sendChatMessage). */
  async sendChatMessage(text: string) {
    await room?.localParticipant.sendChatMessage(text);
  },

  /** A file of n pattern() bytes as a byte stream (sendFile). */
  async sendFile(name: string, n: number, topic: string, to: string[] = []) {
    const file = new File([pattern(n)], name, { type: 'application/octet-stream' });
    const r = await room?.localParticipant.sendFile(file, { topic, destinationIdentities: to });
    return r?.id ?? '';
  },

  /** Calls an RPC method on another participant: its response, or its error's code and message. */
  async performRpc(to: string, method: string, payload: string) {
    try {
      const response = await room!.localParticipant.performRpc({
        destinationIdentity: to,
        method,
        payload,
      });
      return { response };
    } catch (e) {
      const err = e as RpcError;
      return { code: err.code, message: err.message, data: err.data ?? '' };
    }
  },

  /** Every URL this page loaded, itself included (the web app must stay on its own origin). */
  requests() {
    return [
      location.href,
      ...performance.getEntriesByType('resource').map((e) => (e as PerformanceResourceTiming).name),
    ];
  },

  /** Milliseconds from connect() to each step of the latest join. */
  marks() {
    return { ...marks };
  },

  /** From connect() to the first remote video frame decoded, in ms; 0 until then. */
  firstFrameMs() {
    return firstFrameAt === 0 ? 0 : firstFrameAt - connectStartedAt;
  },

  async disconnect() {
    await room?.disconnect();
  },
};

declare global {
  interface Window {
    visio: typeof visio;
  }
}

// A request the CSP blocked is an error the tests see, not just a console line.
document.addEventListener('securitypolicyviolation', (e) =>
  errors.push(`CSP blocked ${e.blockedURI} (${e.violatedDirective})`),
);

window.visio = visio;
document.body.dataset.ready = 'true';
