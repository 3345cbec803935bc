import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../Announcer';
import { DevicesDialog } from './DevicesDialog';
import { LayoutDialog } from './LayoutDialog';
import { openPip, PipContent, pipSupported } from './Pip';
import { Popover } from './Popover';
import { ShortcutsDialog } from './ShortcutsDialog';

type Dialog = 'layout' | 'devices' | 'shortcuts' | null;

interface Tools {
  open: (dialog: Exclude<Dialog, null>) => void;
  pip: () => void;
}

const Context = createContext<Tools>({ open: () => {}, pip: () => {} });

/** The meeting's dialogs (layout, devices, shortcuts) and picture-in-picture, opened from anywhere. */
export function ToolsProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [pipWindow, setPipWindow] = useState<Window | null>(null);
  const close = useCallback(() => setDialog(null), []);
  const closePip = useCallback(() => setPipWindow(null), []);
  const pip = useCallback(() => {
    openPip().then(setPipWindow, () => announce(t('pip.failed')));
  }, [announce, t]);
  const value = useMemo(() => ({ open: setDialog, pip }), [pip]);
  return (
    <Context.Provider value={value}>
      {children}
      {dialog === 'layout' && <LayoutDialog onClose={close} />}
      {dialog === 'devices' && <DevicesDialog onClose={close} />}
      {dialog === 'shortcuts' && <ShortcutsDialog onClose={close} />}
      {pipWindow && <PipContent pip={pipWindow} onClose={closePip} />}
    </Context.Provider>
  );
}

export function useTools(): Tools {
  return useContext(Context);
}

/** "More options": layout, devices, picture-in-picture, keyboard shortcuts. */
export function MoreButton() {
  const { t } = useI18n();
  const tools = useTools();
  return (
    <Popover label={t('more.label')} icon={<span className="icon icon-more" aria-hidden="true" />} testId="more">
      {(close) => (
        <ul className="menu-list">
          <li>
            <button type="button" onClick={() => { close(); tools.open('layout'); }} data-testid="open-layout">
              {t('layout.title')}
            </button>
          </li>
          <li>
            <button type="button" onClick={() => { close(); tools.open('devices'); }} data-testid="open-devices">
              {t('devices.title')}
            </button>
          </li>
          {pipSupported() && (
            <li>
              <button type="button" onClick={() => { close(); tools.pip(); }} data-testid="open-pip">
                {t('pip.title')}
              </button>
            </li>
          )}
          <li>
            <button type="button" onClick={() => { close(); tools.open('shortcuts'); }} data-testid="open-shortcuts">
              {t('shortcuts.title')}
            </button>
          </li>
        </ul>
      )}
    </Popover>
  );
}
