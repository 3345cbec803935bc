// Meeting codes as people type or paste them: "abc-defg-hij", "ABCDEFGHIJ", or a whole link.
// Same rules as the server's RoomCode: ten ASCII letters, dashes only between the groups.

const CODE = /^([a-z]{3})-?([a-z]{4})-?([a-z]{3})$/;

/** The canonical code ("abc-defg-hij") in {@code input}, or null. */
export function parseRoomCode(input: string): string | null {
  let text = input.trim();
  if (text.length > 2048) {
    return null;
  }
  if (text.includes('/')) {
    // A link: its last path segment is the code.
    try {
      text = new URL(text, window.location.origin).pathname.split('/').filter(Boolean).pop() ?? '';
    } catch {
      return null;
    }
  }
  const m = CODE.exec(text.toLowerCase());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** The link people share for a meeting. */
export function roomLink(code: string): string {
  return `${window.location.origin}/${code}`;
}
