import { ApiError, request } from './http';

export type AccessLevel = 'public' | 'trusted' | 'restricted';
export type RoomKind = 'instant' | 'permanent';

export type Role = 'owner' | 'administrator' | 'member';
/** What participants (not hosts) may publish. */
export type Source = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';

export interface Room {
  code: string;
  name: string;
  kind: RoomKind;
  access_level: AccessLevel;
  can_publish_sources?: Source[];
  everyone_can_mute?: boolean;
  max_participants?: number;
  locked?: boolean;
  /** The caller's stored role (GET of one room only). */
  role?: Role;
}

/** What POST /rooms/{code}/join answers: a token, a place in the lobby, or a refusal. */
export type JoinResult =
  | { status: 'enter'; room: string; token: string; role?: string }
  | { status: 'waiting' }
  | { status: 'refused' };

export async function createRoom(name: string, accessLevel: AccessLevel, kind: RoomKind) {
  return (await request<Room>('POST', '/api/v1/rooms', { name, access_level: accessLevel, kind }))
    .body;
}

export async function myRooms(): Promise<Room[]> {
  return (await request<Room[]>('GET', '/api/v1/rooms')).body;
}

export async function findRoom(code: string): Promise<Room> {
  return (await request<Room>('GET', '/api/v1/rooms/' + encodeURIComponent(code))).body;
}

export async function joinRoom(code: string, signal?: AbortSignal): Promise<JoinResult> {
  try {
    return (
      await request<JoinResult>(
        'POST',
        '/api/v1/rooms/' + encodeURIComponent(code) + '/join',
        undefined,
        signal,
      )
    ).body;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      return { status: 'refused' };
    }
    throw e;
  }
}

/** Roles that moderate a meeting and admit from its lobby. */
export function isHostRole(role: string | undefined): boolean {
  return role === 'owner' || role === 'administrator';
}
