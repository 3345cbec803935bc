import { useSpeakingParticipants, useTracks } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../../i18n/i18n';
import { ParticipantTile } from '../ParticipantTile';

interface DocumentPip {
  requestWindow(options: { width: number; height: number }): Promise<Window>;
}

function documentPip(): DocumentPip | undefined {
  return (window as unknown as { documentPictureInPicture?: DocumentPip }).documentPictureInPicture;
}

/** Whether this browser offers any picture-in-picture. */
export function pipSupported(): boolean {
  return !!documentPip() || ('pictureInPictureEnabled' in document && document.pictureInPictureEnabled);
}

/**
 * Opens picture-in-picture: with the Document PiP API (Chromium) a small window showing whoever
 * speaks, live; elsewhere the video element of the person in the spotlight (or any remote video).
 * Returns the window for the first case, null for the second.
 */
export async function openPip(): Promise<Window | null> {
  const api = documentPip();
  if (api) {
    const pip = await api.requestWindow({ width: 360, height: 240 });
    // The same stylesheets (our own files: the CSP allows them there as here).
    for (const sheet of Array.from(document.querySelectorAll('link[rel="stylesheet"]'))) {
      pip.document.head.appendChild(pip.document.importNode(sheet, true));
    }
    pip.document.body.className = 'pip-body meeting';
    return pip;
  }
  const video =
    document.querySelector<HTMLVideoElement>('.spotlight video') ??
    document.querySelector<HTMLVideoElement>("[data-testid='tile'][data-local='false'] video") ??
    document.querySelector<HTMLVideoElement>("[data-testid='tile'] video");
  if (video) {
    await video.requestPictureInPicture();
  }
  return null;
}

/** The PiP window's content: the person speaking now (else the first other person). */
export function PipContent({ pip, onClose }: { pip: Window; onClose: () => void }) {
  const { t } = useI18n();
  const speakers = useSpeakingParticipants();
  const cameras = useTracks([{ source: Track.Source.Camera, withPlaceholder: true }], { onlySubscribed: false });
  const [identity, setIdentity] = useState<string | null>(null);
  const remote = speakers.find((p) => !p.isLocal);
  useEffect(() => {
    if (remote) setIdentity(remote.identity);
  }, [remote]);
  useEffect(() => {
    pip.addEventListener('pagehide', onClose);
    return () => pip.removeEventListener('pagehide', onClose);
  }, [pip, onClose]);
  const shown =
    cameras.find((r) => r.participant.identity === identity) ??
    cameras.find((r) => !r.participant.isLocal) ??
    cameras[0];
  return createPortal(
    <main className="pip" aria-label={t('pip.title')} data-testid="pip">
      {shown && <ParticipantTile trackRef={shown} />}
    </main>,
    pip.document.body,
  );
}
