import { useRoomContext } from '@livekit/components-react';
import {
  RoomEvent,
  type Participant,
  type RemoteTrack,
  type RemoteTrackPublication,
} from 'livekit-client';
import { useEffect, useId, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useE2eeKey } from './E2eeContext';
import '../styles/e2ee.css';

type Problem = 'missingKey' | 'invalidKey' | 'undecryptable';

/**
 * What the meeting screen says about end-to-end encryption: with a key, a badge that explains it;
 * without one in an encrypted meeting (or with the wrong one), why nothing can be seen or heard.
 *
 * A participant without the key cannot decrypt anything, and what it would play is noise and
 * broken pictures: it unsubscribes from encrypted tracks instead, and stops sending its own camera
 * and microphone, which would otherwise enter an encrypted meeting in clear.
 */
export function E2eeStatus() {
  const { t } = useI18n();
  const lk = useRoomContext();
  const fragment = useE2eeKey();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [open, setOpen] = useState(false);
  const explanationId = useId();

  useEffect(() => {
    const withoutKey: Problem = fragment.kind === 'invalid' ? 'invalidKey' : 'missingKey';
    const refuse = (publication: RemoteTrackPublication) => {
      if (fragment.kind !== 'key' && publication.isEncrypted) {
        publication.setSubscribed(false);
        setProblem(withoutKey);
        void lk.localParticipant.setCameraEnabled(false);
        void lk.localParticipant.setMicrophoneEnabled(false);
      }
    };
    const subscribed = (_track: RemoteTrack, publication: RemoteTrackPublication) =>
      refuse(publication);
    const failed = (_error: Error, participant?: Participant) => {
      if (fragment.kind === 'key') {
        // Frames from someone whose key differs: livekit-client's worker drops them and says so
        // (the error comes through postMessage, so it is a plain Error, not a CryptorError).
        if (participant && !participant.isLocal) {
          setProblem('undecryptable');
        }
      } else {
        setProblem(withoutKey);
      }
    };
    lk.remoteParticipants.forEach((p) => p.trackPublications.forEach(refuse));
    lk.on(RoomEvent.TrackSubscribed, subscribed).on(RoomEvent.EncryptionError, failed);
    return () => {
      lk.off(RoomEvent.TrackSubscribed, subscribed).off(RoomEvent.EncryptionError, failed);
    };
  }, [lk, fragment]);

  return (
    <div className="e2ee-status">
      {fragment.kind === 'key' && (
        <div className="e2ee-badge-wrap">
          <button
            type="button"
            className="e2ee-badge"
            aria-expanded={open}
            aria-controls={explanationId}
            onClick={() => setOpen(!open)}
            data-testid="e2ee-badge"
          >
            <span className="icon icon-lock small" aria-hidden="true" />
            {t('e2ee.badge')}
          </button>
          <p id={explanationId} className="e2ee-explanation" hidden={!open}>
            {t('e2ee.explanation')}
          </p>
        </div>
      )}
      <div role="alert" className="e2ee-alert-region">
        {problem && (
          <p className="e2ee-problem" data-testid="e2ee-problem" data-problem={problem}>
            {t(`e2ee.${problem}`)}
          </p>
        )}
      </div>
    </div>
  );
}
