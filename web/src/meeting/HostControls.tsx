import { useState } from 'react';
import { moderateAll } from '../api/moderation';
import type { Room } from '../api/rooms';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { Dialog } from '../app/Dialog';
import { useI18n } from '../i18n/i18n';
import { RoomSettingsForm } from '../settings/RoomSettingsForm';

/** The room settings, for hosts: the control bar's gear and its dialog. */
export function RoomSettingsButton({ room }: { room: Room }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="round flat"
        onClick={() => setOpen(true)}
        title={t('settings.title')}
        data-testid="open-settings"
      >
        <span className="icon icon-settings" aria-hidden="true" />
        <span className="visually-hidden">{t('settings.title')}</span>
      </button>
      {open && (
        <Dialog title={t('settings.title')} onClose={() => setOpen(false)} testId="settings-dialog" wide>
          <RoomSettingsForm code={room.code} />
        </Dialog>
      )}
    </>
  );
}

/**
 * Ending the meeting for everyone, for hosts: beside Leave but apart from it, and asked twice.
 * Everyone's client then shows that the host ended it (LiveKit's ROOM_DELETED).
 */
export function EndMeetingButton({ room }: { room: Room }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button
        type="button"
        className="round end-all"
        onClick={() => setAsking(true)}
        title={t('host.endTitle')}
        data-testid="end-meeting"
      >
        <span className="icon icon-end" aria-hidden="true" />
        <span className="visually-hidden">{t('host.endTitle')}</span>
      </button>
      {asking && (
        <ConfirmDialog
          title={t('host.endTitle')}
          text={t('host.endText')}
          confirm={t('host.endConfirm')}
          onCancel={() => setAsking(false)}
          onConfirm={async () => {
            // The server closes the room, which disconnects everyone, us too (ROOM_DELETED).
            await moderateAll(room.code, 'end');
          }}
        />
      )}
    </>
  );
}
