import type { Participant } from 'livekit-client';
import { useI18n } from '../i18n/i18n';
import { nameOf } from './MeetingView';

/** Raised hands in the order they went up, numbered: who speaks next. */
export function HandQueue({
  queue,
  host,
  onLower,
}: {
  queue: Participant[];
  host: boolean;
  onLower: (p: Participant) => void;
}) {
  const { t } = useI18n();
  if (queue.length === 0) {
    return null;
  }
  return (
    <section className="hand-queue" aria-labelledby="hand-queue-title" data-testid="hand-queue">
      <h3 id="hand-queue-title">{t('hands.title', { count: queue.length })}</h3>
      <ol>
        {queue.map((p, i) => (
          <li key={p.identity} className="person" data-identity={p.identity}>
            <span className="hand-position" aria-hidden="true">
              {i + 1}
            </span>
            <span className="person-name">
              <span className="visually-hidden">{t('hands.position', { n: i + 1 })} </span>
              {nameOf(p)}
              {p.isLocal && ' ' + t('meeting.you')}
            </span>
            {host && (
              <button
                type="button"
                className="button ghost dark small"
                onClick={() => onLower(p)}
                data-testid="hand-lower"
              >
                {t('host.lowerHand')}
                <span className="visually-hidden"> {nameOf(p)}</span>
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
