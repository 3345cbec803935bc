import { useLocalParticipant } from '@livekit/components-react';
import { useState } from 'react';
import { setHand } from '../../api/hands';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../Announcer';
import { useStageState } from '../stage/StageState';

/** Whether one's hand is up (as the server says), and a way to raise or lower it. */
export function useHand(code: string) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { localParticipant } = useLocalParticipant();
  const { hands } = useStageState();
  const [pending, setPending] = useState(false);
  // From the queue every participant sees, so the button and the tiles never disagree.
  const place = hands.get(localParticipant.identity);
  const raised = place !== undefined;
  const toggle = async () => {
    if (pending) return;
    setPending(true);
    try {
      await setHand(code, !raised);
      announce(t(raised ? 'hand.lowered' : 'hand.raised'));
    } catch {
      announce(t('hand.failed'));
    } finally {
      setPending(false);
    }
  };
  return { raised, place, pending, toggle };
}

export function HandButton({ code }: { code: string }) {
  const { t } = useI18n();
  const { raised, place, pending, toggle } = useHand(code);
  const label = t(raised ? 'hand.lower' : 'hand.raise');
  return (
    <button
      type="button"
      className={'round ' + (raised ? 'active' : 'on')}
      aria-pressed={raised}
      disabled={pending}
      onClick={() => void toggle()}
      title={label}
      data-testid="toggle-hand"
    >
      <span className="icon icon-hand" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
      {raised && place !== undefined && (
        <span className="badge" aria-hidden="true">
          {place}
        </span>
      )}
    </button>
  );
}
