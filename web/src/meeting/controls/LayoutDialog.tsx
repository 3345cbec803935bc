import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/fr';
import { LAYOUTS } from '../stage/rules';
import { useStageState } from '../stage/StageState';
import { Modal } from './Modal';

/** Meet's "change layout": auto, grid, speaker with filmstrip, or one person alone. */
export function LayoutDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { layout, setLayout } = useStageState();
  return (
    <Modal title={t('layout.title')} onClose={onClose} testId="layout-dialog">
      <fieldset className="choices">
        <legend className="visually-hidden">{t('layout.title')}</legend>
        {LAYOUTS.map((l) => (
          <label key={l} className="choice">
            <input
              type="radio"
              name="layout"
              value={l}
              checked={layout === l}
              onChange={() => setLayout(l)}
              data-testid={'layout-' + l}
            />
            <span>
              <strong>{t(('layout.' + l) as MessageKey)}</strong>
              <span className="note">{t(('layout.' + l + '.help') as MessageKey)}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </Modal>
  );
}
