import { useLocalParticipant } from '@livekit/components-react';
import type { LocalAudioTrack, LocalVideoTrack } from 'livekit-client';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { BackgroundEffect } from './BackgroundEffect';
import type { EffectStatus } from './EffectsPicker';
import { NoiseSuppressor } from './NoiseSuppressor';
import { backgroundKey, saveEffects, type Background, type EffectSettings } from './settings';

interface MeetingEffects {
  settings: EffectSettings;
  setSettings: (settings: EffectSettings) => void;
  video: EffectStatus;
  audio: EffectStatus;
}

const EffectsContext = createContext<MeetingEffects | null>(null);

/**
 * Applies the effect settings to the published camera and microphone (livekit-client track
 * processors: the processed track is what is sent and what the local tile shows), follows them as
 * tracks come and go (a camera turned back on is a new track), and lets the picker change them.
 * An effect that cannot start leaves the raw track published and says so.
 */
export function EffectsProvider({ initial, children }: { initial: EffectSettings; children: ReactNode }) {
  const [settings, setState] = useState(initial);
  const setSettings = useCallback((next: EffectSettings) => {
    setState(next);
    saveEffects(next);
  }, []);
  const { cameraTrack, microphoneTrack } = useLocalParticipant();
  const camera = cameraTrack?.track as LocalVideoTrack | undefined;
  const microphone = microphoneTrack?.track as LocalAudioTrack | undefined;
  const video = useVideoEffect(camera, settings.background);
  const audio = useNoiseSuppression(microphone, settings.noiseSuppression);
  const value = useMemo(() => ({ settings, setSettings, video, audio }), [settings, setSettings, video, audio]);
  return <EffectsContext.Provider value={value}>{children}</EffectsContext.Provider>;
}

export function useMeetingEffects(): MeetingEffects {
  const effects = useContext(EffectsContext);
  if (!effects) {
    throw new Error('useMeetingEffects outside EffectsProvider');
  }
  return effects;
}

function useVideoEffect(track: LocalVideoTrack | undefined, background: Background): EffectStatus {
  const [status, setStatus] = useState<EffectStatus>('off');
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const key = backgroundKey(background);
  useEffect(() => {
    if (!track) {
      setStatus('off');
      return;
    }
    let live = true;
    const apply = async () => {
      const current = track.getProcessor();
      if (background.kind === 'none') {
        if (current) {
          await track.stopProcessor();
        }
        return 'off' as const;
      }
      if (current instanceof BackgroundEffect) {
        await current.setBackground(background);
        return 'on' as const;
      }
      setStatus('starting');
      try {
        await track.setProcessor(new BackgroundEffect(background));
        return 'on' as const;
      } catch {
        await track.stopProcessor().catch(() => undefined);
        return 'failed' as const;
      }
    };
    // One change at a time: a quick second click waits for the first processor to be in place.
    const turn = queue.current.then(apply);
    queue.current = turn.catch(() => undefined);
    turn.then(
      (s) => live && setStatus(s),
      () => live && setStatus('failed'),
    );
    return () => {
      live = false;
    };
    // background is read through key: a new object with the same choice changes nothing.
  }, [track, key]);
  return status;
}

function useNoiseSuppression(track: LocalAudioTrack | undefined, enabled: boolean): EffectStatus {
  const [status, setStatus] = useState<EffectStatus>('off');
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  useEffect(() => {
    if (!track) {
      setStatus('off');
      return;
    }
    let live = true;
    const apply = async () => {
      const current = track.getProcessor();
      if (!enabled) {
        if (current) {
          await track.stopProcessor();
        }
        return 'off' as const;
      }
      if (current instanceof NoiseSuppressor) {
        return 'on' as const;
      }
      setStatus('starting');
      try {
        await track.setProcessor(new NoiseSuppressor());
        return 'on' as const;
      } catch {
        await track.stopProcessor().catch(() => undefined);
        return 'failed' as const;
      }
    };
    // One change at a time: a quick second click waits for the first processor to be in place.
    const turn = queue.current.then(apply);
    queue.current = turn.catch(() => undefined);
    turn.then(
      (s) => live && setStatus(s),
      () => live && setStatus('failed'),
    );
    return () => {
      live = false;
    };
  }, [track, enabled]);
  return status;
}
