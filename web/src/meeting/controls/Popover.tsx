import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A button that shows a small panel above it (the disclosure pattern): Escape or a click
 * elsewhere closes it and focus goes back to the button.
 */
export function Popover({
  label,
  icon,
  testId,
  children,
}: {
  label: string;
  icon: ReactNode;
  testId: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div
      className="popover-root"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={'round' + (open ? ' active' : ' on')}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        title={label}
        data-testid={testId}
      >
        {icon}
        <span className="visually-hidden">{label}</span>
      </button>
      <div id={id} className="popover" hidden={!open} data-testid={testId + '-panel'}>
        {open && children(close)}
      </div>
    </div>
  );
}
