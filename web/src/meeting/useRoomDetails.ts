import { useEffect, useState } from 'react';
import { findRoom, type Room } from '../api/rooms';

/**
 * The room's current settings (whether everyone may mute, for instance), read when the caller
 * mounts: a panel opened later sees a host's later changes.
 */
export function useRoomDetails(code: string): Room | null {
  const [room, setRoom] = useState<Room | null>(null);
  useEffect(() => {
    let live = true;
    findRoom(code).then(
      (r) => live && setRoom(r),
      () => {
        // Without the settings, only hosts get the mute buttons (the safe side).
      },
    );
    return () => {
      live = false;
    };
  }, [code]);
  return room;
}
