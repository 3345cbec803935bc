import { useEffect, useState } from 'react';
import { roomLink } from '../app/roomCode';
import { useI18n } from '../i18n/i18n';

/** Copies a meeting's link; says so for two seconds (and to screen readers). */
export function CopyLinkButton({ code, className }: { code: string; className?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) {
      return;
    }
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(roomLink(code));
      setCopied(true);
    } catch {
      window.prompt(t('rooms.copyPrompt'), roomLink(code));
    }
  };
  return (
    <button type="button" className={className ?? 'button ghost'} onClick={copy}>
      <span aria-live="polite">{copied ? t('rooms.copied') : t('rooms.copy')}</span>
    </button>
  );
}
