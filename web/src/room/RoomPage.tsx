import { DisconnectReason } from 'livekit-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { awaitAdmission } from '../api/admission';
import { ApiError } from '../api/http';
import { findRoom, joinRoom, type Room } from '../api/rooms';
import { signInAsGuest } from '../api/session';
import { NotFoundPage } from '../app/NotFoundPage';
import { useSession } from '../app/session';
import { Spinner } from '../app/Spinner';
import { useI18n } from '../i18n/i18n';
import { Meeting } from '../meeting/Meeting';
import { LeftScreen } from './LeftScreen';
import { PreJoin, type JoinChoices } from './PreJoin';
import { WaitingScreen } from './WaitingScreen';

/** Where a visitor of /{code} is: its steps from the pre-join screen to the meeting. */
type Step =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'prejoin'; error?: string }
  | { kind: 'waiting' }
  | { kind: 'refused' }
  | { kind: 'timeout' }
  | { kind: 'meeting'; token: string; role?: string }
  | { kind: 'left'; reason?: 'ended' | 'removed' };

export default function RoomPage({ code }: { code: string }) {
  const { t } = useI18n();
  const { session, setSession } = useSession();
  const [room, setRoom] = useState<Room | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const choices = useRef<JoinChoices | null>(null);
  const waiting = useRef<AbortController | null>(null);

  useEffect(() => {
    let live = true;
    findRoom(code).then(
      (r) => {
        if (live) {
          setRoom(r);
          setStep({ kind: 'prejoin' });
        }
      },
      () => live && setStep({ kind: 'missing' }),
    );
    return () => {
      live = false;
      waiting.current?.abort();
    };
  }, [code]);

  useEffect(() => {
    document.title = (room ? room.name : code) + ' · Visio';
  }, [room, code]);

  const enter = useCallback(async (result: Awaited<ReturnType<typeof awaitAdmission>>) => {
    if (result.status === 'enter') {
      setStep({ kind: 'meeting', token: result.token, role: result.role });
    } else {
      setStep({ kind: result.status });
    }
  }, []);

  const join = useCallback(
    async (c: JoinChoices) => {
      choices.current = c;
      try {
        // A guest (or a guest who changed name) gets a session under the name they gave.
        if (!session?.authenticated && session?.name !== c.name) {
          setSession(await signInAsGuest(c.name));
        }
        const result = await joinRoom(code);
        if (result.status !== 'waiting') {
          await enter(result);
          return;
        }
        setStep({ kind: 'waiting' });
        const controller = new AbortController();
        waiting.current = controller;
        await enter(await awaitAdmission(code, controller.signal));
      } catch (e) {
        if (waiting.current?.signal.aborted) {
          return;
        }
        const message =
          e instanceof ApiError && e.status === 429 ? t('prejoin.tooMany') : t('prejoin.joinFailed');
        setStep({ kind: 'prejoin', error: message });
      }
    },
    [code, session, setSession, enter, t],
  );

  const cancelWaiting = () => {
    waiting.current?.abort();
    setStep({ kind: 'prejoin' });
  };

  switch (step.kind) {
    case 'loading':
      return <Spinner />;
    case 'missing':
      return <NotFoundPage title={t('room.missing')} text={t('room.missingText')} />;
    case 'prejoin':
      return (
        <PreJoin
          room={room!}
          session={session ?? null}
          initial={choices.current}
          error={step.error}
          onJoin={join}
        />
      );
    case 'waiting':
      return <WaitingScreen room={room!} onCancel={cancelWaiting} />;
    case 'refused':
    case 'timeout':
      return (
        <LeftScreen
          title={step.kind === 'refused' ? t('lobby.refused') : t('lobby.timeout')}
          onRejoin={() => setStep({ kind: 'prejoin' })}
        />
      );
    case 'meeting':
      return (
        <Meeting
          room={room!}
          token={step.token}
          role={step.role}
          choices={choices.current!}
          onLeave={(reason) => setStep({ kind: 'left', reason: leftBecause(reason) })}
        />
      );
    case 'left':
      // Ended by a host, or removed: coming back is not the next step, so only home is offered.
      return step.reason ? (
        <LeftScreen
          title={step.reason === 'ended' ? t('left.ended') : t('left.removed')}
          reason={step.reason}
        />
      ) : (
        <LeftScreen title={t('left.title')} onRejoin={() => setStep({ kind: 'prejoin' })} />
      );
  }
}

/** Why the meeting ended for us, when it was not our own doing. */
function leftBecause(reason?: DisconnectReason): 'ended' | 'removed' | undefined {
  switch (reason) {
    case DisconnectReason.ROOM_DELETED:
      return 'ended';
    case DisconnectReason.PARTICIPANT_REMOVED:
      return 'removed';
    default:
      return undefined;
  }
}
