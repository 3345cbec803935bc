import { useId } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';
import '../styles/effects.css';
import { BACKGROUND_IMAGES, backgroundKey, backgroundUrl, type Background, type EffectSettings } from './settings';

/** How far an effect got: shown to the user and, as data-state, to the tests. */
export type EffectStatus = 'off' | 'starting' | 'on' | 'failed';

const STATUS_TEXT: Record<EffectStatus, MessageKey | null> = {
  off: null,
  starting: 'effects.starting',
  on: 'effects.on',
  failed: 'effects.failed',
};

const CHOICES: { background: Background; label: MessageKey }[] = [
  { background: { kind: 'none' }, label: 'effects.none' },
  { background: { kind: 'blur' }, label: 'effects.blur' },
  ...BACKGROUND_IMAGES.map((i) => ({ background: { kind: 'image', id: i.id } as Background, label: i.label })),
];

/**
 * The background choices (native radio buttons: arrow keys move between them) and the noise
 * suppression switch, with what came of them announced politely. Used before and during the
 * meeting.
 */
export function EffectsPicker({
  settings,
  onChange,
  video,
  audio,
}: {
  settings: EffectSettings;
  onChange: (settings: EffectSettings) => void;
  video: EffectStatus;
  audio: EffectStatus;
}) {
  const { t } = useI18n();
  const name = useId();
  const current = backgroundKey(settings.background);
  const videoText = STATUS_TEXT[video];
  return (
    <div className="effects" data-testid="effects-picker">
      <fieldset className="effects-backgrounds">
        <legend>{t('effects.background')}</legend>
        <div className="effects-choices">
          {CHOICES.map(({ background, label }) => {
            const key = backgroundKey(background);
            return (
              <label key={key} className={'effect-choice ' + key} title={t(label)} data-testid={'effect-' + key}>
                <input
                  type="radio"
                  name={name}
                  checked={current === key}
                  onChange={() => onChange({ ...settings, background })}
                />
                {background.kind === 'image' ? (
                  <img src={backgroundUrl(background.id)} alt="" width={64} height={36} />
                ) : (
                  <span className="effect-swatch" aria-hidden="true" />
                )}
                <span className="visually-hidden">{t(label)}</span>
              </label>
            );
          })}
        </div>
      </fieldset>
      <label className="effects-noise">
        <input
          type="checkbox"
          role="switch"
          checked={settings.noiseSuppression}
          onChange={(e) => onChange({ ...settings, noiseSuppression: e.target.checked })}
          data-testid="effect-noise"
          data-state={audio}
        />
        <span>{t('effects.noise')}</span>
      </label>
      <p role="status" className="effects-status" data-testid="effect-status" data-state={video}>
        {videoText && t(videoText)}
        {audio === 'failed' && ' ' + t('effects.noiseFailed')}
      </p>
    </div>
  );
}
