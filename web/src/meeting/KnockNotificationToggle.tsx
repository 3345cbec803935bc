import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import '../styles/host.css';
import '../styles/notifications.css';
import {
  notificationsSupported,
  notificationsWanted,
  requestNotifications,
  setNotificationsWanted,
} from './knockNotification';

/** The host's switch for system notifications on knocks, in the participants panel. */
export function KnockNotificationToggle() {
  const { t } = useI18n();
  const [on, setOn] = useState(
    () => notificationsSupported() && notificationsWanted() && Notification.permission === 'granted',
  );
  const [blocked, setBlocked] = useState(false);
  if (!notificationsSupported()) {
    return null;
  }
  const change = async (wanted: boolean) => {
    setBlocked(false);
    // Asked here, inside the click: browsers refuse a permission prompt without a user gesture.
    const allowed = wanted && (await requestNotifications());
    setNotificationsWanted(allowed);
    setOn(allowed);
    setBlocked(wanted && !allowed);
  };
  return (
    <div className="knock-notifications">
      <label className="choice">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => void change(e.target.checked)}
          data-testid="knock-notifications"
        />
        <span>{t('knockNotify.toggle')}</span>
      </label>
      <p className="note" aria-live="polite" data-blocked={blocked} data-testid="knock-notifications-status">
        {blocked ? t('knockNotify.blocked') : ''}
      </p>
    </div>
  );
}
