import type { ReceivedChatMessage } from '@livekit/components-react';
import { useRoomContext } from '@livekit/components-react';
import { useEffect, useState } from 'react';

/** How many chat messages from others arrived since the chat was last open. */
export function useUnread(messages: ReceivedChatMessage[], open: boolean): number {
  const local = useRoomContext().localParticipant;
  const [seen, setSeen] = useState(0);
  useEffect(() => {
    if (open) {
      setSeen(messages.length);
    }
  }, [open, messages.length]);
  return open ? 0 : messages.slice(seen).filter((m) => m.from !== local).length;
}
