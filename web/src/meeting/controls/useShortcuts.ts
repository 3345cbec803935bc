import { useRoomContext } from '@livekit/components-react';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../Announcer';

/** Where typed keys belong to the field: no shortcut there. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/** Where Space already means something (it presses buttons, ticks boxes, follows links). */
function spaceTaken(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return typing(target) || (!!el && !!el.closest('button, a, summary, [role="button"], [role="menuitem"], dialog'));
}

/**
 * Meet's shortcuts: Ctrl/⌘+D microphone, Ctrl/⌘+E camera, Ctrl/⌘+Alt+H hand, Ctrl/⌘+Alt+C chat,
 * "?" this list, and Space held while muted to talk. Nothing fires while one types in a field.
 */
export function useShortcuts({ onHand, onChat, onHelp }: { onHand: () => void; onChat: () => void; onHelp: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const lk = useRoomContext();
  const talking = useRef(false);
  const actions = useRef({ onHand, onChat, onHelp });
  actions.current = { onHand, onChat, onHelp };

  useEffect(() => {
    const setMic = (on: boolean) => {
      void lk.localParticipant.setMicrophoneEnabled(on);
      announce(t(on ? 'shortcuts.micOn' : 'shortcuts.micOff'));
    };
    const release = () => {
      if (talking.current) {
        talking.current = false;
        void lk.localParticipant.setMicrophoneEnabled(false);
      }
    };
    const down = (e: KeyboardEvent) => {
      if (typing(e.target) || e.defaultPrevented) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.altKey && !e.shiftKey && key === 'd') {
        e.preventDefault();
        if (!e.repeat) setMic(!lk.localParticipant.isMicrophoneEnabled);
      } else if (mod && !e.altKey && !e.shiftKey && key === 'e') {
        e.preventDefault();
        if (!e.repeat) {
          const on = !lk.localParticipant.isCameraEnabled;
          void lk.localParticipant.setCameraEnabled(on);
          announce(t(on ? 'shortcuts.cameraOn' : 'shortcuts.cameraOff'));
        }
      } else if (mod && e.altKey && e.code === 'KeyH') {
        e.preventDefault();
        if (!e.repeat) actions.current.onHand();
      } else if (mod && e.altKey && e.code === 'KeyC') {
        e.preventDefault();
        if (!e.repeat) actions.current.onChat();
      } else if (!mod && e.key === '?') {
        e.preventDefault();
        actions.current.onHelp();
      } else if (!mod && !e.altKey && e.code === 'Space' && !spaceTaken(e.target)) {
        e.preventDefault();
        if (!e.repeat && !lk.localParticipant.isMicrophoneEnabled) {
          talking.current = true;
          void lk.localParticipant.setMicrophoneEnabled(true);
        }
      }
    };
    const up = (e: KeyboardEvent) => {
      if (e.code === 'Space') release();
    };
    document.addEventListener('keydown', down);
    document.addEventListener('keyup', up);
    window.addEventListener('blur', release);
    return () => {
      document.removeEventListener('keydown', down);
      document.removeEventListener('keyup', up);
      window.removeEventListener('blur', release);
    };
  }, [lk, announce, t]);
}
