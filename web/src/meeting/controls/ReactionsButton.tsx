import { Popover } from './Popover';
import { useI18n } from '../../i18n/i18n';
import { REACTIONS } from '../stage/rules';
import { useStageState } from '../stage/StageState';

/** Sends an emoji everyone sees over the sender's tile for a few seconds. */
export function ReactionsButton() {
  const { t } = useI18n();
  const { react } = useStageState();
  return (
    <Popover label={t('reactions.open')} icon={<span className="icon icon-smile" aria-hidden="true" />} testId="reactions">
      {() => (
        <ul className="reaction-choices" aria-label={t('reactions.open')}>
          {REACTIONS.map((emoji, i) => (
            <li key={emoji}>
              <button
                type="button"
                className="reaction-choice"
                onClick={() => react(emoji)}
                data-testid={'reaction-' + i}
                title={t('reactions.send', { emoji })}
              >
                <span aria-hidden="true">{emoji}</span>
                <span className="visually-hidden">{t('reactions.send', { emoji })}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
