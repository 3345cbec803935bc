import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Room } from '../api/rooms';
import type { Session } from '../api/session';
import { Header } from '../app/Header';
import { EffectsPicker } from '../effects/EffectsPicker';
import { loadEffects, saveEffects, type EffectSettings } from '../effects/settings';
import { usePreviewEffect } from '../effects/usePreviewEffect';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';
import { DeviceSelect } from './DeviceSelect';
import { LevelMeter } from './LevelMeter';
import { useDevices, useMediaPreview, type MediaProblem } from './useMediaPreview';

/** What the user settled on before joining. */
export interface JoinChoices {
  name: string;
  audio: boolean;
  video: boolean;
  audioDeviceId?: string;
  videoDeviceId?: string;
  /** Background effect and noise suppression, also remembered in localStorage. */
  effects: EffectSettings;
}

const PROBLEM_TEXT: Record<'audio' | 'video', Record<MediaProblem, MessageKey>> = {
  audio: {
    denied: 'prejoin.micDenied',
    missing: 'prejoin.micMissing',
    busy: 'prejoin.micBusy',
    failed: 'prejoin.micFailed',
  },
  video: {
    denied: 'prejoin.camDenied',
    missing: 'prejoin.camMissing',
    busy: 'prejoin.camBusy',
    failed: 'prejoin.camFailed',
  },
};

export function PreJoin({
  room,
  session,
  initial,
  error,
  onJoin,
}: {
  room: Room;
  session: Session | null;
  initial: JoinChoices | null;
  error?: string;
  onJoin: (choices: JoinChoices) => Promise<void>;
}) {
  const { t } = useI18n();
  const signedIn = session?.authenticated === true;
  const [name, setName] = useState(initial?.name ?? session?.name ?? '');
  const [audio, setAudio] = useState(initial?.audio ?? true);
  const [video, setVideo] = useState(initial?.video ?? true);
  const [audioDeviceId, setAudioDeviceId] = useState(initial?.audioDeviceId);
  const [videoDeviceId, setVideoDeviceId] = useState(initial?.videoDeviceId);
  const [busy, setBusy] = useState(false);
  const mic = useMediaPreview('audio', audio, audioDeviceId);
  const cam = useMediaPreview('video', video, videoDeviceId);
  const devices = useDevices(`${mic.stream?.id}/${cam.stream?.id}`);
  const videoEl = useRef<HTMLVideoElement>(null);
  const [effects, setEffectsState] = useState<EffectSettings>(() => initial?.effects ?? loadEffects());
  const [effectsOpen, setEffectsOpen] = useState(false);
  const setEffects = (next: EffectSettings) => {
    setEffectsState(next);
    saveEffects(next);
  };
  const shown = usePreviewEffect(cam.stream, effects.background);

  useEffect(() => {
    if (videoEl.current) {
      videoEl.current.srcObject = shown.stream;
    }
  }, [shown.stream]);

  const displayName = signedIn ? session!.name : name.trim();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!displayName) {
      return;
    }
    setBusy(true);
    try {
      await onJoin({
        name: displayName,
        // A device that could not be opened joins off: the meeting must not fail on it.
        audio: audio && !mic.problem,
        video: video && !cam.problem,
        audioDeviceId,
        videoDeviceId,
        effects,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Header />
      <main id="main" className="page prejoin">
        <section className="preview" aria-label={t('prejoin.preview')}>
          <div className="preview-frame">
            {shown.stream ? (
              <video ref={videoEl} className="mirror" autoPlay playsInline muted data-testid="preview-video" />
            ) : (
              <p className="preview-off">{video ? t('prejoin.camStarting') : t('prejoin.camOff')}</p>
            )}
            <div className="preview-controls">
              <button
                type="button"
                className={'round ' + (audio ? 'on' : 'off')}
                aria-pressed={audio}
                onClick={() => setAudio(!audio)}
                data-testid="prejoin-mic"
              >
                <span className={'icon ' + (audio ? 'icon-mic' : 'icon-mic-off')} aria-hidden="true" />
                <span className="visually-hidden">{t('controls.microphone')}</span>
              </button>
              <button
                type="button"
                className={'round ' + (video ? 'on' : 'off')}
                aria-pressed={video}
                onClick={() => setVideo(!video)}
                data-testid="prejoin-camera"
              >
                <span className={'icon ' + (video ? 'icon-cam' : 'icon-cam-off')} aria-hidden="true" />
                <span className="visually-hidden">{t('controls.camera')}</span>
              </button>
            </div>
          </div>
          {audio && <LevelMeter stream={mic.stream} />}
          <div className="prejoin-effects">
            <button
              type="button"
              className="button secondary small"
              aria-expanded={effectsOpen}
              aria-controls="prejoin-effects"
              onClick={() => setEffectsOpen(!effectsOpen)}
              data-testid="prejoin-effects"
            >
              <span className="icon icon-effects small" aria-hidden="true" />
              {t('effects.show')}
            </button>
            <div id="prejoin-effects" hidden={!effectsOpen}>
              <EffectsPicker settings={effects} onChange={setEffects} video={shown.status} audio="off" />
            </div>
          </div>
          <div role="alert" className="problems">
            {audio && mic.problem && <p className="error">{t(PROBLEM_TEXT.audio[mic.problem])}</p>}
            {video && cam.problem && <p className="error">{t(PROBLEM_TEXT.video[cam.problem])}</p>}
          </div>
        </section>
        <form className="card join-form" onSubmit={submit}>
          <h1>{t('prejoin.title')}</h1>
          <p className="room-title">{room.name}</p>
          {signedIn ? (
            <p>{t('prejoin.joiningAs', { name: session!.name })}</p>
          ) : (
            <label className="field">
              <span>{t('prejoin.name')}</span>
              <input
                type="text"
                required
                maxLength={100}
                autoComplete="name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                data-testid="guest-name"
              />
            </label>
          )}
          <DeviceSelect
            kind="videoinput"
            devices={devices}
            value={videoDeviceId}
            onChange={setVideoDeviceId}
            label={t('prejoin.camera')}
          />
          <DeviceSelect
            kind="audioinput"
            devices={devices}
            value={audioDeviceId}
            onChange={setAudioDeviceId}
            label={t('prejoin.microphone')}
          />
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button
            type="submit"
            className="button primary large"
            disabled={busy || !displayName}
            data-testid="join-meeting"
          >
            {t('prejoin.join')}
          </button>
        </form>
      </main>
    </>
  );
}
