import { useCallback, useEffect, useRef, useState } from 'react';
import { Header } from '../app/Header';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';
import { LevelMeter } from '../room/LevelMeter';
import { problemOf } from '../room/useMediaPreview';
import {
  fetchGrant,
  joinThroughRelay,
  openSession,
  relayOf,
  relayReachable,
  type RelayKind,
} from './media';
import '../styles/connection.css';

type Check =
  | 'camera'
  | 'microphone'
  | 'websocket'
  | 'udp'
  | 'tcp'
  | 'turnUdp'
  | 'turnTcp'
  | 'turnTls';
type Status = 'pending' | 'running' | 'ok' | 'failed' | 'unavailable' | 'skipped';
interface Result {
  status: Status;
  /** Technical detail as measured (a resolution, a candidate type, an error message). */
  detail?: string;
  /** Or words from the dictionary, translated when shown (the language may change after). */
  note?: { key: MessageKey; vars?: Record<string, string | number> };
}

const CHECKS: Check[] = [
  'camera',
  'microphone',
  'websocket',
  'udp',
  'tcp',
  'turnUdp',
  'turnTcp',
  'turnTls',
];
const RELAY_CHECKS: [Check, RelayKind][] = [
  ['turnUdp', 'udp'],
  ['turnTcp', 'tcp'],
  ['turnTls', 'tls'],
];
const TIMEOUT_MS = 15_000;
const RELAY_TIMEOUT_MS = 8_000;

const STATUS_TEXT: Record<Status, MessageKey> = {
  pending: 'conn.pending',
  running: 'conn.running',
  ok: 'conn.ok',
  failed: 'conn.failed',
  unavailable: 'conn.unavailable',
  skipped: 'conn.skipped',
};

/** The style of a status: not tested looks like not available (grey), neither is a failure. */
function look(status: Status): string {
  return status === 'skipped' ? 'unavailable' : status;
}

function initial(): Record<Check, Result> {
  return Object.fromEntries(CHECKS.map((c) => [c, { status: 'pending' }])) as Record<Check, Result>;
}

/** The loudest the microphone gets over {@code ms}, in dBFS. */
async function peakLevel(stream: MediaStream, ms: number): Promise<number> {
  const context = new AudioContext();
  try {
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let peak = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      analyser.getFloatTimeDomainData(samples);
      for (const s of samples) {
        peak = Math.max(peak, Math.abs(s));
      }
    }
    return Math.round(20 * Math.log10(peak + 1e-9));
  } finally {
    void context.close();
  }
}

/**
 * Before a meeting: can this browser use its camera and microphone, and reach this server's
 * signalling and media from this network? Each check says OK, failed, or not available here, and
 * the whole can be copied as text for support.
 */
export default function ConnectionTestPage() {
  const { t } = useI18n();
  const [results, setResults] = useState<Record<Check, Result>>(initial);
  const [running, setRunning] = useState(true); // the test starts on arrival
  const [camera, setCamera] = useState<MediaStream | null>(null);
  const [microphone, setMicrophone] = useState<MediaStream | null>(null);
  const [copied, setCopied] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const runs = useRef(0);

  useEffect(() => {
    document.title = t('conn.title') + ' · Visio';
  }, [t]);

  useEffect(() => {
    if (video.current) {
      video.current.srcObject = camera;
    }
  }, [camera]);
  useEffect(() => () => camera?.getTracks().forEach((tr) => tr.stop()), [camera]);
  useEffect(() => () => microphone?.getTracks().forEach((tr) => tr.stop()), [microphone]);

  const run = useCallback(async () => {
    const id = ++runs.current;
    const set = (check: Check, result: Result) => {
      if (runs.current === id) {
        setResults((r) => ({ ...r, [check]: result }));
      }
    };
    setRunning(true);
    setCopied(false);
    setResults(initial());
    setCamera(null);
    setMicrophone(null);

    const cameraCheck = (async () => {
      set('camera', { status: 'running' });
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true });
        const s = stream.getVideoTracks()[0].getSettings();
        setCamera(stream);
        set('camera', { status: 'ok', detail: `${s.width ?? '?'}×${s.height ?? '?'}` });
      } catch (e) {
        set('camera', { status: 'failed', note: { key: `conn.media.${problemOf(e)}` } });
      }
    })();
    const microphoneCheck = (async () => {
      set('microphone', { status: 'running' });
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        setMicrophone(stream);
        const peak = await peakLevel(stream, 1000);
        set('microphone', { status: 'ok', note: { key: 'conn.peak', vars: { db: peak } } });
      } catch (e) {
        set('microphone', { status: 'failed', note: { key: `conn.media.${problemOf(e)}` } });
      }
    })();

    const networkCheck = (async () => {
      set('websocket', { status: 'running' });
      set('udp', { status: 'running' });
      set('tcp', { status: 'running' });
      const grant = fetchGrant();
      const session = openSession(grant.then((g) => g.token), TIMEOUT_MS);
      try {
        try {
          await session.signalling;
          set('websocket', { status: 'ok' });
        } catch (e) {
          set('websocket', { status: 'failed', detail: String((e as Error).message ?? e) });
        }
        try {
          const path = await session.media;
          const rtt = path.rttMs === undefined ? '' : `, ${path.rttMs} ms`;
          const detail = `${path.protocol}, ${path.candidateType}${rtt}`;
          // Media went through a relay or over TCP: UDP straight to the server did not work.
          const direct = path.candidateType !== 'relay';
          set('udp', { status: direct && path.protocol === 'udp' ? 'ok' : 'failed', detail });
          set(
            'tcp',
            direct && path.protocol === 'tcp'
              ? { status: 'ok', detail }
              : direct
                ? { status: 'skipped', note: { key: 'conn.tcpNotNeeded' } }
                : { status: 'failed', detail },
          );
        } catch (e) {
          const detail = String((e as Error).message ?? e);
          set('udp', { status: 'failed', detail });
          set('tcp', { status: 'failed', detail });
        }
      } finally {
        await session.close();
      }
      // Each relay alone, with relay policy: media must reach the server through it.
      const { iceServers, relayTokens } = await grant.catch(() => ({
        iceServers: [],
        relayTokens: [],
      }));
      await Promise.all(
        RELAY_CHECKS.map(async ([check, kind], i) => {
          const relay = relayOf(iceServers, kind);
          if (!relay || !relayTokens[i]) {
            set(check, { status: 'unavailable', note: { key: 'conn.relayNone' } });
            return;
          }
          set(check, { status: 'running' });
          try {
            const path = await joinThroughRelay(relayTokens[i], relay, TIMEOUT_MS);
            const rtt = path.rttMs === undefined ? '' : `, ${path.rttMs} ms`;
            set(check, {
              status: path.candidateType === 'relay' ? 'ok' : 'failed',
              detail: `${path.candidateType}${rtt}`,
            });
          } catch (e) {
            // Tell a relay out of reach from one that allocated but carried no media.
            const reached = await relayReachable([relay], () => true, RELAY_TIMEOUT_MS);
            set(
              check,
              reached
                ? { status: 'failed', note: { key: 'conn.relayNoMedia' } }
                : { status: 'failed', detail: String((e as Error).message ?? e) },
            );
          }
        }),
      );
    })();

    await Promise.allSettled([cameraCheck, microphoneCheck, networkCheck]);
    if (runs.current === id) {
      setRunning(false);
    }
  }, []);

  useEffect(() => {
    void run();
    return () => {
      runs.current++; // a run still going no longer reports
    };
  }, [run]);

  const label = (c: Check) => t(`conn.${c}`);
  const detail = (r: Result) => (r.note ? t(r.note.key, r.note.vars) : r.detail);
  const report = [
    t('conn.reportTitle', { date: new Date().toISOString() }),
    `${t('conn.browser')}: ${navigator.userAgent}`,
    ...CHECKS.map((c) => {
      const r = results[c];
      const d = detail(r);
      return `${label(c)}: ${t(STATUS_TEXT[r.status])}${d ? ` (${d})` : ''}`;
    }),
  ].join('\n');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(report);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <>
      <Header />
      <main id="main" className="page connection-test">
        <h1>{t('conn.title')}</h1>
        <p className="lead">{t('conn.lead')}</p>
        <div className="conn-grid">
          <ul className="conn-checks" aria-label={t('conn.results')}>
            {CHECKS.map((c) => (
              <li
                key={c}
                className={'conn-check ' + look(results[c].status)}
                data-testid={'check-' + c}
                data-status={results[c].status}
              >
                <span className="conn-name">{label(c)}</span>
                <span className="conn-status">{t(STATUS_TEXT[results[c].status])}</span>
                {detail(results[c]) && <span className="conn-detail">{detail(results[c])}</span>}
                {c === 'microphone' && microphone && <LevelMeter stream={microphone} />}
              </li>
            ))}
          </ul>
          <div className="conn-preview">
            {camera ? (
              <video ref={video} className="mirror" autoPlay playsInline muted />
            ) : (
              <p className="preview-off">{t('prejoin.camOff')}</p>
            )}
          </div>
        </div>
        <p role="status" className="conn-summary" data-testid="conn-summary">
          {running ? t('conn.inProgress') : t('conn.done')}
        </p>
        <div className="row wrap">
          <button
            type="button"
            className="button primary"
            onClick={() => void run()}
            disabled={running}
            data-testid="conn-run"
          >
            {t('conn.again')}
          </button>
        </div>
        <section className="conn-report" aria-labelledby="conn-report-title">
          <h2 id="conn-report-title">{t('conn.report')}</h2>
          <textarea
            readOnly
            rows={CHECKS.length + 2}
            value={report}
            aria-labelledby="conn-report-title"
            data-testid="conn-report"
          />
          <button type="button" className="button secondary" onClick={() => void copy()}>
            <span aria-live="polite">{copied ? t('conn.copied') : t('conn.copy')}</span>
          </button>
        </section>
      </main>
    </>
  );
}
