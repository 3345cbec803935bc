import { useCallback, useEffect, useState } from 'react';
import { myRooms, type Room } from '../api/rooms';
import { Link } from '../app/router';
import { useI18n } from '../i18n/i18n';
import { CopyLinkButton } from './CopyLinkButton';
import { CreateRoomForm } from './CreateRoomForm';
import { ManageRoomDialog } from './ManageRoomDialog';

/** The signed-in user's rooms, newest first, and a form for a new permanent one. */
export function MyRooms() {
  const { t } = useI18n();
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [managing, setManaging] = useState<Room | null>(null);
  const load = useCallback(async () => {
    try {
      setRooms(await myRooms());
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="my-rooms" aria-labelledby="my-rooms-title">
      <div className="section-head">
        <h2 id="my-rooms-title">{t('rooms.title')}</h2>
      </div>
      <CreateRoomForm onCreated={load} />
      {failed && (
        <p className="error" role="alert">
          {t('rooms.loadFailed')}
        </p>
      )}
      {rooms && rooms.length === 0 && <p className="note">{t('rooms.empty')}</p>}
      {rooms && rooms.length > 0 && (
        <ul className="room-list" data-testid="room-list">
          {rooms.map((room) => (
            <li key={room.code} className="room-item" data-testid="room-item" data-code={room.code}>
              <div className="room-text">
                <span className="room-name">{room.name}</span>
                <span className="room-meta">
                  <code>{room.code}</code> · {t(`access.${room.access_level}`)} ·{' '}
                  {t(`kind.${room.kind}`)}
                </span>
              </div>
              <div className="room-actions">
                <CopyLinkButton code={room.code} />
                <button
                  type="button"
                  className="button ghost"
                  onClick={() => setManaging(room)}
                  data-testid="room-manage"
                >
                  {t('manage.open')}
                  <span className="visually-hidden"> {room.name}</span>
                </button>
                <Link to={'/' + room.code} className="button secondary">
                  {t('rooms.open')}
                  <span className="visually-hidden"> {room.name}</span>
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}
      {managing && (
        <ManageRoomDialog
          room={managing}
          onClose={() => {
            setManaging(null);
            void load();
          }}
          onDeleted={() => {
            setManaging(null);
            void load();
          }}
        />
      )}
    </section>
  );
}
