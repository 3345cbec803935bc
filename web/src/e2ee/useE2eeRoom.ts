import { ExternalE2EEKeyProvider, Room, type RoomOptions } from 'livekit-client';
import E2eeWorker from 'livekit-client/e2ee-worker?worker';
import { useEffect, useState } from 'react';
import { keyBytes, type FragmentKey } from './key';

/**
 * For an end-to-end encrypted meeting (the link carries a key), the LiveKit room to connect:
 * livekit-client encrypts every frame in a worker (bundled as a same-origin file, so the CSP's
 * script-src 'self' covers it) with a key derived from ours before it leaves the browser, and
 * decrypts what it receives; the server forwards what it cannot read. The room is there once the
 * key is in place (connecting earlier would publish in clear). For a plain meeting: no room here,
 * LiveKitRoom makes its own.
 */
export function useE2eeRoom(
  fragment: FragmentKey,
  options: RoomOptions,
): { encrypted: boolean; room: Room | undefined } {
  const key = fragment.kind === 'key' ? fragment.key : null;
  const [room, setRoom] = useState<Room>();
  useEffect(() => {
    if (!key) {
      return;
    }
    // Made here, not during render: each mount owns its worker and ends it.
    const worker = new E2eeWorker();
    const keyProvider = new ExternalE2EEKeyProvider();
    const next = new Room({ ...options, e2ee: { keyProvider, worker } });
    let live = true;
    // Random bytes: livekit-client derives the AES-GCM key with HKDF (a string would go through
    // PBKDF2, meant for passphrases people choose).
    void keyProvider
      .setKey(keyBytes(key)!.buffer)
      .then(() => next.setE2EEEnabled(true))
      .then(() => live && setRoom(next));
    return () => {
      live = false;
      void next.disconnect().finally(() => worker.terminate());
    };
  }, [key, options]);
  return { encrypted: key !== null, room };
}
