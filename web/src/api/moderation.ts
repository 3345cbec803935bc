import { request } from './http';

/** What a host does to one participant of a meeting in progress. */
export type ParticipantAction = 'mute' | 'remove' | 'lower_hand' | 'promote' | 'demote';
/** What a host does to everyone (lock and unlock go through the room's settings here). */
export type MeetingAction = 'mute_all' | 'lower_all_hands' | 'end';

const path = (code: string) => '/api/v1/rooms/' + encodeURIComponent(code) + '/moderation';

export async function moderate(
  code: string,
  action: ParticipantAction,
  participant: string,
): Promise<void> {
  await request('POST', path(code), { action, participant });
}

export async function moderateAll(code: string, action: MeetingAction): Promise<void> {
  await request('POST', path(code), { action });
}
