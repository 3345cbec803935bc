import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http';
import { invitationsAvailable, invite, looksLikeAddress, parseAddresses } from '../api/invitations';
import type { Room } from '../api/rooms';
import { Dialog } from '../app/Dialog';
import { roomLink } from '../app/roomCode';
import { useInvitationFragment } from '../e2ee/E2eeContext';
import { CopyLinkButton } from '../home/CopyLinkButton';
import { useI18n } from '../i18n/i18n';

/** At most this many addresses a request (the server's limit). */
const MAX_ADDRESSES = 20;

/** Opens the invitation dialog. */
export function InviteButton({ room, host }: { room: Room; host: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button primary small"
        onClick={() => setOpen(true)}
        data-testid="open-invite"
      >
        {t('invite.open')}
      </button>
      {open && <InviteDialog room={room} host={host} onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * The meeting's link to copy, and for hosts on a server that sends mail, invitations by email to
 * the addresses they type. Without a mail server the email part is not offered.
 */
export function InviteDialog({ room, host, onClose }: { room: Room; host: boolean; onClose: () => void }) {
  const { t } = useI18n();
  // An encrypted meeting's key travels in the link's fragment only: emailing the link would hand
  // the key to our server, so such a meeting is invited to by copying the link.
  const fragment = useInvitationFragment();
  const encrypted = fragment !== '';
  const [mail, setMail] = useState<boolean | undefined>(host && !encrypted ? undefined : false);
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  const ids = useId();

  useEffect(() => {
    if (!host || encrypted) {
      return;
    }
    let live = true;
    invitationsAvailable(room.code).then((on) => live && setMail(on));
    return () => {
      live = false;
    };
  }, [host, room.code]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setResult('');
    setError('');
    const addresses = parseAddresses(text);
    const wrong = addresses.filter((a) => !looksLikeAddress(a));
    if (addresses.length === 0 || wrong.length > 0) {
      setError(wrong.length > 0 ? t('invite.invalid', { list: wrong.join(', ') }) : t('invite.none'));
      return;
    }
    if (addresses.length > MAX_ADDRESSES) {
      setError(t('invite.tooMany', { max: MAX_ADDRESSES }));
      return;
    }
    setBusy(true);
    try {
      const sent = await invite(room.code, addresses, note.trim() || undefined);
      setResult(t('invite.sent', { count: sent }));
      setText('');
      setNote('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 501) {
        setMail(false);
      } else if (err instanceof ApiError && err.status === 429) {
        setError(t('invite.rateLimited'));
      } else if (err instanceof ApiError && err.status === 400) {
        setError(t('invite.rejected'));
      } else {
        setError(t('invite.failed'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('invite.title')} onClose={onClose} testId="invite-dialog">
      <div className="stack">
        <label className="field">
          <span>{t('invite.link')}</span>
          <input type="text" readOnly value={roomLink(room.code) + fragment} onFocus={(e) => e.target.select()} data-testid="invite-link" />
        </label>
        <div>
          <CopyLinkButton code={room.code} fragment={fragment} className="button secondary" />
        </div>
        {mail === true && (
          <form className="stack" onSubmit={send} data-testid="invite-form">
            <label className="field">
              <span>{t('invite.emails')}</span>
              <textarea
                rows={3}
                value={text}
                onChange={(e) => setText(e.target.value)}
                aria-describedby={ids + 'help'}
                data-testid="invite-emails"
              />
            </label>
            <p id={ids + 'help'} className="note">
              {t('invite.emailsHelp', { max: MAX_ADDRESSES })}
            </p>
            <label className="field">
              <span>{t('invite.message')}</span>
              <textarea rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
            <div className="row end">
              <button type="submit" className="button primary" disabled={busy || !text.trim()} data-testid="invite-send">
                {t('invite.send')}
              </button>
            </div>
          </form>
        )}
        {host && mail === false && (
          <p className="note" data-testid="invite-no-email">
            {t(encrypted ? 'invite.noEmailEncrypted' : 'invite.noEmail')}
          </p>
        )}
        <div aria-live="polite">
          {result && (
            <p className="success" data-testid="invite-result">
              {result}
            </p>
          )}
          {error && (
            <p className="error" data-testid="invite-error">
              {error}
            </p>
          )}
        </div>
      </div>
    </Dialog>
  );
}
