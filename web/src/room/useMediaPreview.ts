import { useEffect, useState } from 'react';

/** Why a device cannot be previewed, in the words the pre-join screen uses. */
export type MediaProblem = 'denied' | 'missing' | 'busy' | 'failed';

export interface Preview {
  stream: MediaStream | null;
  problem: MediaProblem | null;
}

/** What getUserMedia's errors mean to the user. */
export function problemOf(error: unknown): MediaProblem {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

/**
 * A live preview of one kind of device while {@code enabled}: the camera and the microphone are
 * asked for separately, so a refused microphone still shows the camera. Stops the device when
 * disabled or unmounted.
 */
export function useMediaPreview(
  kind: 'audio' | 'video',
  enabled: boolean,
  deviceId: string | undefined,
): Preview {
  const [preview, setPreview] = useState<Preview>({ stream: null, problem: null });
  useEffect(() => {
    if (!enabled) {
      setPreview({ stream: null, problem: null });
      return;
    }
    let live = true;
    let stream: MediaStream | null = null;
    const constraints: MediaTrackConstraints | boolean = deviceId
      ? { deviceId: { exact: deviceId } }
      : kind === 'video'
        ? { width: { ideal: 1280 }, height: { ideal: 720 } }
        : true;
    if (!navigator.mediaDevices?.getUserMedia) {
      setPreview({ stream: null, problem: 'failed' });
      return;
    }
    navigator.mediaDevices.getUserMedia({ [kind]: constraints }).then(
      (s) => {
        if (live) {
          stream = s;
          setPreview({ stream: s, problem: null });
        } else {
          s.getTracks().forEach((t) => t.stop());
        }
      },
      (e: unknown) => live && setPreview({ stream: null, problem: problemOf(e) }),
    );
    return () => {
      live = false;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [kind, enabled, deviceId]);
  return preview;
}

/** The cameras and microphones; labels appear once the user allowed one. */
export function useDevices(refreshKey: unknown): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.enumerateDevices) {
      return;
    }
    let live = true;
    const load = () => md.enumerateDevices().then((d) => live && setDevices(d));
    void load();
    md.addEventListener('devicechange', load);
    return () => {
      live = false;
      md.removeEventListener('devicechange', load);
    };
  }, [refreshKey]);
  return devices;
}
