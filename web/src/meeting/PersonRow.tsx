import type { Participant } from 'livekit-client';
import { Track } from 'livekit-client';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/http';
import { moderate, type ParticipantAction } from '../api/moderation';
import { isHostRole } from '../api/rooms';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { initials } from '../home/AccountMenu';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';
import { HAND_RAISED_AT } from './hands';
import { nameOf } from './MeetingView';
import { CO_HOST, ROOM_ROLE } from './useIsHost';

/**
 * One person in the participants panel: name, role, microphone, raised hand (with its place in
 * the queue), and what the viewer may do to them: mute (hosts, or everyone when the room allows
 * it), and for hosts a menu to lower the hand, make or unmake a co-host, or remove.
 */
export function PersonRow({
  participant: p,
  code,
  host,
  canMute,
  handPosition,
  onError,
}: {
  participant: Participant;
  code: string;
  host: boolean;
  canMute: boolean;
  handPosition: number | null;
  onError: (message: string) => void;
}) {
  const { t } = useI18n();
  const name = nameOf(p);
  const mic = p.getTrackPublication(Track.Source.Microphone);
  const muted = !mic || mic.isMuted;
  const role = p.attributes?.[ROOM_ROLE];
  const isHost = isHostRole(role);
  // Only a co-host of this meeting can be demoted here; a role the room's members hold is changed
  // in the room's settings, so no menu item offers what the server would refuse.
  const coHost = p.attributes?.[CO_HOST] === 'true';
  const [confirmRemove, setConfirmRemove] = useState(false);

  const act = async (action: ParticipantAction) => {
    try {
      await moderate(code, action, p.identity);
    } catch (e) {
      onError(
        e instanceof ApiError && e.status === 409
          ? t('host.storedRole', { name })
          : t('host.actionFailed'),
      );
    }
  };

  return (
    <li
      className="person"
      data-testid="person"
      data-identity={p.identity}
      data-mic={muted ? 'muted' : 'on'}
      data-role={role ?? 'none'}
      data-hand={handPosition ?? 'none'}
    >
      <span className="avatar small" aria-hidden="true">
        {initials(name)}
      </span>
      <span className="person-name">
        {name}
        {p.isLocal && ' ' + t('meeting.you')}
        {isHost && <span className="tag">{t('host.hostTag')}</span>}
        {p.attributes?.is_authenticated === 'false' && <span className="tag">{t('lobby.guest')}</span>}
      </span>
      {handPosition !== null && (
        <span className="hand-badge" title={t('hands.position', { n: handPosition })}>
          <span className="icon icon-hand small" aria-hidden="true" />
          <span aria-hidden="true">{handPosition}</span>
          <span className="visually-hidden">{t('hands.position', { n: handPosition })}</span>
        </span>
      )}
      {muted ? (
        <span className="icon icon-mic-off small" role="img" aria-label={t('meeting.micMuted')} />
      ) : canMute && !p.isLocal ? (
        <button
          type="button"
          className="round flat small person-mute"
          onClick={() => void act('mute')}
          title={t('host.muteName', { name })}
          data-testid="person-mute"
        >
          <span className="icon icon-mic small" aria-hidden="true" />
          <span className="visually-hidden">{t('host.muteName', { name })}</span>
        </button>
      ) : (
        <span className="icon icon-mic small" role="img" aria-label={t('host.micOn')} />
      )}
      {host && !p.isLocal && (
        <PersonMenu
          name={name}
          items={[
            ...(p.attributes?.[HAND_RAISED_AT]
              ? [{ label: 'host.lowerHand' as const, testId: 'person-lower-hand', run: () => act('lower_hand') }]
              : []),
            ...(coHost
              ? [{ label: 'host.demote' as const, testId: 'person-demote', run: () => act('demote') }]
              : isHost
                ? []
                : [{ label: 'host.promote' as const, testId: 'person-promote', run: () => act('promote') }]),
            {
              label: 'host.remove' as const,
              testId: 'person-remove',
              danger: true,
              run: async () => setConfirmRemove(true),
            },
          ]}
        />
      )}
      {confirmRemove && (
        <ConfirmDialog
          title={t('host.removeTitle', { name })}
          text={t('host.removeText', { name })}
          confirm={t('host.remove')}
          onCancel={() => setConfirmRemove(false)}
          onConfirm={async () => {
            await moderate(code, 'remove', p.identity);
            setConfirmRemove(false);
          }}
        />
      )}
    </li>
  );
}

interface MenuItem {
  label: MessageKey;
  testId: string;
  danger?: boolean;
  run: () => Promise<void>;
}

/**
 * "More actions for {name}": a disclosure button and the list it shows. Escape or a click outside
 * closes it, and focus goes back to the button.
 */
function PersonMenu({ name, items }: { name: string; items: MenuItem[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open) {
      return;
    }
    list.current?.querySelector('button')?.focus();
    const outside = (e: PointerEvent) => {
      if (!list.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <span
      className="person-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation(); // the panel closes on Escape too: this one is the menu's
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="round flat small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        title={t('host.moreFor', { name })}
        data-testid="person-menu"
      >
        <span className="icon icon-more small" aria-hidden="true" />
        <span className="visually-hidden">{t('host.moreFor', { name })}</span>
      </button>
      {open && (
        <ul id={id} ref={list} className="person-menu-list">
          {items.map((item) => (
            <li key={item.testId}>
              <button
                type="button"
                className={'menu-item' + (item.danger ? ' danger' : '')}
                onClick={() => {
                  close();
                  void item.run();
                }}
                data-testid={item.testId}
              >
                {t(item.label)}
                <span className="visually-hidden"> {name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
