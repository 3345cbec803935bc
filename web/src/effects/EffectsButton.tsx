import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { EffectsPicker } from './EffectsPicker';
import { useMeetingEffects } from './MeetingEffects';

/**
 * The control bar's effects button and the picker it opens above the bar (a non-modal dialog:
 * focus moves into it, Escape or the button closes it and focus returns to the button).
 */
export function EffectsButton() {
  const { t } = useI18n();
  const effects = useMeetingEffects();
  const [open, setOpen] = useState(false);
  const dialog = useId();
  const button = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const active = effects.settings.background.kind !== 'none' || effects.settings.noiseSuppression;

  useEffect(() => {
    if (open) {
      heading.current?.focus();
    }
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div className="effects-anchor">
      <button
        ref={button}
        type="button"
        className={'round flat' + (active ? ' active' : '')}
        aria-expanded={open}
        aria-controls={dialog}
        onClick={() => setOpen(!open)}
        title={t('effects.title')}
        data-testid="toggle-effects"
        data-video={effects.video}
        data-audio={effects.audio}
      >
        <span className="icon icon-effects" aria-hidden="true" />
        <span className="visually-hidden">{t('effects.title')}</span>
      </button>
      {open && (
        <div
          id={dialog}
          role="dialog"
          aria-labelledby={dialog + '-title'}
          className="effects-popover"
          data-testid="effects-dialog"
          onKeyDown={(e) => e.key === 'Escape' && close()}
        >
          <div className="panel-head">
            <h2 id={dialog + '-title'} ref={heading} tabIndex={-1}>
              {t('effects.title')}
            </h2>
            <button type="button" className="round flat small" onClick={close} title={t('common.close')}>
              <span className="icon icon-close" aria-hidden="true" />
              <span className="visually-hidden">{t('common.close')}</span>
            </button>
          </div>
          <EffectsPicker
            settings={effects.settings}
            onChange={effects.setSettings}
            video={effects.video}
            audio={effects.audio}
          />
        </div>
      )}
    </div>
  );
}
