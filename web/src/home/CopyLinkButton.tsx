import { useEffect, useState } from 'react';
import { roomLink } from '../app/roomCode';
import { useI18n } from '../i18n/i18n';

/**
 * Copies a meeting's link (with {@code fragment}, an encrypted meeting's key, when given); says so
 * for two seconds (and to screen readers).
 */
export function CopyLinkButton({
  code,
  className,
  fragment = '',
}: {
  code: string;
  className?: string;
  fragment?: string;
}) {
  const { t } = useI18n();
  const link = roomLink(code) + fragment;
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
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      window.prompt(t('rooms.copyPrompt'), link);
    }
  };
  return (
    <button type="button" className={className ?? 'button ghost'} onClick={copy} data-testid="copy-link">
      <span aria-live="polite">{copied ? t('rooms.copied') : t('rooms.copy')}</span>
    </button>
  );
}
