// A system notification when someone knocks, for a host whose meeting tab is out of sight (the
// chime and the aria-live announcement cover the visible page). Opt-in: the permission is asked
// only from the host's own click on the lobby panel's toggle, never on load, as browsers require
// and as people expect.

const STORAGE_KEY = 'visio.knockNotifications';

/** Whether a knock should raise a system notification now. */
export function shouldNotify(wanted: boolean, permission: string | undefined, hidden: boolean): boolean {
  return wanted && permission === 'granted' && hidden;
}

/** Whether this browser can show system notifications at all (not in every WebView or iOS tab). */
export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

/** The host's stored choice; off unless chosen, and off again when the permission went away. */
export function notificationsWanted(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

export function setNotificationsWanted(on: boolean): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // storage disabled: the choice is not remembered
  }
}

/** Asks the browser's permission (call from a click); true when notifications may be shown. */
export async function requestNotifications(): Promise<boolean> {
  if (!notificationsSupported()) {
    return false;
  }
  const permission =
    Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  return permission === 'granted';
}

/** Shows {@code body} as a system notification if the host wants it and cannot see the page. */
export function notifyKnock(title: string, body: string): void {
  if (!notificationsSupported()) {
    return;
  }
  if (!shouldNotify(notificationsWanted(), Notification.permission, document.visibilityState === 'hidden')) {
    return;
  }
  try {
    // One tag: a second knock replaces the first notification rather than stacking.
    const notice = new Notification(title, { body, tag: 'visio-lobby', icon: '/favicon.svg' });
    notice.onclick = () => {
      window.focus();
      notice.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the chime remains.
  }
}
