import type { Track } from 'livekit-client';
import { useEffect, useRef, useState } from 'react';
import { BackgroundEffect } from './BackgroundEffect';
import type { EffectStatus } from './EffectsPicker';
import { backgroundKey, type Background } from './settings';

/**
 * The pre-join preview with the chosen background: {@code camera} through a
 * {@link BackgroundEffect}, or {@code camera} itself when there is no effect or it failed (the
 * status then says so). The effect follows the camera (a device change starts it again) and
 * switches background in place.
 */
export function usePreviewEffect(
  camera: MediaStream | null,
  background: Background,
): { stream: MediaStream | null; status: EffectStatus } {
  const [state, setState] = useState<{ stream: MediaStream | null; status: EffectStatus }>({
    stream: null,
    status: 'off',
  });
  const effect = useRef<BackgroundEffect | null>(null);
  const wanted = background.kind !== 'none';
  const latest = useRef(background);
  latest.current = background;

  useEffect(() => {
    const track = camera?.getVideoTracks()[0];
    if (!track || !wanted) {
      setState({ stream: null, status: 'off' });
      return;
    }
    let live = true;
    const running = new BackgroundEffect(latest.current);
    effect.current = running;
    setState({ stream: null, status: 'starting' });
    running.init({ kind: 'video' as Track.Kind.Video, track }).then(
      () => {
        if (live && running.processedTrack) {
          setState({ stream: new MediaStream([running.processedTrack]), status: 'on' });
        }
      },
      () => live && setState({ stream: null, status: 'failed' }),
    );
    return () => {
      live = false;
      effect.current = null;
      void running.destroy();
    };
  }, [camera, wanted]);

  const key = backgroundKey(background);
  useEffect(() => {
    void effect.current?.setBackground(latest.current).catch(() => undefined);
  }, [key]);

  return { stream: state.stream ?? (state.status === 'starting' ? null : camera), status: state.status };
}
