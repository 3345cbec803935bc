import { request } from './http';
import type { AccessLevel, Role, Room, Source } from './rooms';

// A room's hosts change it and its members; its owners delete it.

/** Absent fields stay as they are. */
export interface RoomChanges {
  name?: string;
  access_level?: AccessLevel;
  can_publish_sources?: Source[];
  everyone_can_mute?: boolean;
  max_participants?: number;
  locked?: boolean;
}

export interface Member {
  user: string;
  email: string;
  name: string;
  role: Role;
  granted_at: string;
}

const room = (code: string) => '/api/v1/rooms/' + encodeURIComponent(code);

export async function updateRoom(code: string, changes: RoomChanges): Promise<Room> {
  return (await request<Room>('PATCH', room(code), changes)).body;
}

export async function deleteRoom(code: string): Promise<void> {
  await request('DELETE', room(code));
}

export async function members(code: string): Promise<Member[]> {
  return (await request<Member[]>('GET', room(code) + '/members')).body;
}

export async function addMember(code: string, email: string, role: Role): Promise<Member> {
  return (await request<Member>('POST', room(code) + '/members', { email, role })).body;
}

export async function removeMember(code: string, user: string): Promise<void> {
  await request('DELETE', room(code) + '/members/' + encodeURIComponent(user));
}
