import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http';
import { addMember, deleteRoom, members, removeMember, type Member } from '../api/roomAdmin';
import { findRoom, isHostRole, type Role, type Room } from '../api/rooms';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { Dialog } from '../app/Dialog';
import { useI18n } from '../i18n/i18n';
import { RoomSettingsForm } from '../settings/RoomSettingsForm';

const ROLES: Role[] = ['member', 'administrator', 'owner'];

/**
 * One of my rooms, managed from home: its settings and members for its hosts, deleting it for its
 * owners. Others are told they may only open it.
 */
export function ManageRoomDialog({
  room,
  onClose,
  onDeleted,
}: {
  room: Room;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useI18n();
  const [role, setRole] = useState<Role | null | undefined>(undefined);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    let live = true;
    findRoom(room.code).then(
      (r) => live && setRole(r.role ?? null),
      () => live && setRole(null),
    );
    return () => {
      live = false;
    };
  }, [room.code]);

  return (
    <Dialog title={t('manage.title', { name: room.name })} onClose={onClose} testId="manage-dialog" wide>
      {role === undefined && <p className="note">{t('common.loading')}</p>}
      {role !== undefined && !isHostRole(role ?? undefined) && <p className="note">{t('manage.notHost')}</p>}
      {isHostRole(role ?? undefined) && (
        <div className="stack">
          <section aria-labelledby="manage-members-title">
            <h3 id="manage-members-title">{t('manage.members')}</h3>
            <MembersEditor code={room.code} owner={role === 'owner'} />
          </section>
          <section aria-labelledby="manage-settings-title">
            <h3 id="manage-settings-title">{t('settings.title')}</h3>
            <RoomSettingsForm code={room.code} showLock={false} />
          </section>
          {role === 'owner' && (
            <section className="danger-zone" aria-labelledby="manage-delete-title">
              <h3 id="manage-delete-title">{t('manage.delete')}</h3>
              <p className="note">{t('manage.deleteHelp')}</p>
              <button
                type="button"
                className="button danger"
                onClick={() => setConfirmDelete(true)}
                data-testid="room-delete"
              >
                {t('manage.delete')}
              </button>
            </section>
          )}
        </div>
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={t('manage.deleteTitle', { name: room.name })}
          text={t('manage.deleteText')}
          confirm={t('manage.delete')}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await deleteRoom(room.code);
            onDeleted();
          }}
        />
      )}
    </Dialog>
  );
}

/** The room's members by address and role: add one, take a role away. */
function MembersEditor({ code, owner }: { code: string; owner: boolean }) {
  const { t } = useI18n();
  const [list, setList] = useState<Member[] | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setList(await members(code));
    } catch {
      setError(t('manage.loadFailed'));
    }
  }, [code, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await addMember(code, email.trim(), role);
      setEmail('');
      await load();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 404
          ? t('manage.noAccount')
          : err instanceof ApiError && err.status === 403
            ? t('manage.ownersOnly')
            : t('host.actionFailed'),
      );
    } finally {
      setBusy(false);
    }
  };

  const remove = async (m: Member) => {
    setError('');
    try {
      await removeMember(code, m.user);
      await load();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 403 ? t('manage.ownersOnly') : t('manage.removeFailed'));
    }
  };

  return (
    <div className="stack">
      {list && (
        <ul className="member-list" data-testid="member-list">
          {list.map((m) => (
            <li key={m.user} className="member" data-testid="member" data-email={m.email}>
              <span className="member-text">
                <span className="member-name">{m.name || m.email}</span>
                <span className="note">
                  {m.email} · {t(`role.${m.role}`)}
                </span>
              </span>
              <button
                type="button"
                className="button ghost small"
                onClick={() => void remove(m)}
                data-testid="member-remove"
              >
                {t('manage.removeMember')}
                <span className="visually-hidden"> {m.name || m.email}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row wrap" onSubmit={add}>
        <label className="field grow">
          <span>{t('manage.email')}</span>
          <input
            type="email"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="member-email"
          />
        </label>
        <label className="field">
          <span>{t('manage.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="member-role">
            {ROLES.filter((r) => owner || r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={busy || !email.trim()} data-testid="member-add">
          {t('manage.add')}
        </button>
      </form>
      <p className="note">{t('manage.addHelp')}</p>
      <div aria-live="assertive">
        {error && (
          <p className="error" data-testid="member-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
