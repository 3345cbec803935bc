import { useLocalParticipant } from '@livekit/components-react';
import type { LocalAudioTrack, LocalVideoTrack } from 'livekit-client';
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
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

/** What {@link useTrackProcessor} needs to know of one kind of effect. */
interface ProcessorRule<T extends LocalVideoTrack | LocalAudioTrack> {
  /** Whether the effect is wanted at all. */
  wanted: boolean;
  /** Whether the track's current processor is this effect (then it is updated, not replaced). */
  isOurs: (processor: ReturnType<T['getProcessor']>) => boolean;
  /** Brings a running processor of ours to the wanted settings. */
  update: (processor: ReturnType<T['getProcessor']>) => Promise<void> | void;
  /** A new processor with the wanted settings. */
  create: () => Parameters<T['setProcessor']>[0];
}

/**
 * Keeps {@code track}'s processor as {@code rule} wants it whenever {@code key} changes: stopped
 * when not wanted, updated in place when running, started otherwise. Changes run one at a time (a
 * quick second click waits for the first processor to be in place), and a processor that fails to
 * start leaves the raw track and reports 'failed'.
 */
function useTrackProcessor<T extends LocalVideoTrack | LocalAudioTrack>(
  track: T | undefined,
  key: string,
  rule: ProcessorRule<T>,
): EffectStatus {
  const [status, setStatus] = useState<EffectStatus>('off');
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const latest = useRef(rule);
  useLayoutEffect(() => {
    latest.current = rule; // before the effect below reads it
  });
  useEffect(() => {
    if (!track) {
      setStatus('off');
      return;
    }
    let live = true;
    const apply = async () => {
      const { wanted, isOurs, update, create } = latest.current;
      const current = track.getProcessor() as ReturnType<T['getProcessor']>;
      if (!wanted) {
        if (current) {
          await track.stopProcessor();
        }
        return 'off' as const;
      }
      if (current && isOurs(current)) {
        await update(current);
        return 'on' as const;
      }
      setStatus('starting');
      try {
        // The union of the two tracks' setProcessor signatures: each rule creates its own kind.
        await (track.setProcessor as (p: Parameters<T['setProcessor']>[0]) => Promise<void>)(create());
        return 'on' as const;
      } catch {
        await track.stopProcessor().catch(() => undefined);
        return 'failed' as const;
      }
    };
    const turn = queue.current.then(apply);
    queue.current = turn.catch(() => undefined);
    turn.then(
      (s) => live && setStatus(s),
      () => live && setStatus('failed'),
    );
    return () => {
      live = false;
    };
    // The rule is read through latest and key: a new object with the same choice changes nothing.
  }, [track, key]);
  return status;
}

function useVideoEffect(track: LocalVideoTrack | undefined, background: Background): EffectStatus {
  return useTrackProcessor(track, backgroundKey(background), {
    wanted: background.kind !== 'none',
    isOurs: (p) => p instanceof BackgroundEffect,
    update: (p) => (p as BackgroundEffect).setBackground(background),
    create: () => new BackgroundEffect(background),
  });
}

function useNoiseSuppression(track: LocalAudioTrack | undefined, enabled: boolean): EffectStatus {
  return useTrackProcessor(track, String(enabled), {
    wanted: enabled,
    isOurs: (p) => p instanceof NoiseSuppressor,
    update: () => undefined,
    create: () => new NoiseSuppressor(),
  });
}
