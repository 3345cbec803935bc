import { useLocalParticipant, useParticipantAttribute } from '@livekit/components-react';
import { isHostRole } from '../api/rooms';

/** The participant attribute the server keeps each participant's role in. */
export const ROOM_ROLE = 'room_role';

/** "true" on a participant a host made co-host for this meeting alone (a host may demote them). */
export const CO_HOST = 'co_host';

/**
 * Whether this participant hosts the meeting now: its live role (a host may promote or demote it
 * during the meeting), else the role the join answered with.
 */
export function useIsHost(joinRole?: string): boolean {
  const { localParticipant } = useLocalParticipant();
  const live = useParticipantAttribute(ROOM_ROLE, { participant: localParticipant });
  return isHostRole(live || joinRole);
}
