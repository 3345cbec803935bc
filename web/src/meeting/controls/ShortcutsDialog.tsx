import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/fr';
import { Modal } from './Modal';

/** Ctrl on Windows and Linux, ⌘ on Apple keyboards. */
export function modifierName(): string {
  return /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
}

const SHORTCUTS: { keys: (mod: string) => string; what: MessageKey }[] = [
  { keys: (m) => m + ' + D', what: 'shortcuts.mic' },
  { keys: (m) => m + ' + E', what: 'shortcuts.camera' },
  { keys: () => 'Space', what: 'shortcuts.pushToTalk' },
  { keys: (m) => m + ' + Alt + H', what: 'shortcuts.hand' },
  { keys: (m) => m + ' + Alt + C', what: 'shortcuts.chat' },
  { keys: () => '?', what: 'shortcuts.help' },
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const mod = modifierName();
  return (
    <Modal title={t('shortcuts.title')} onClose={onClose} testId="shortcuts-dialog">
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.keys')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td>
                <kbd>{s.keys(mod)}</kbd>
              </td>
              <td>{t(s.what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">{t('shortcuts.typing')}</p>
    </Modal>
  );
}
