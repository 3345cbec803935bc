import type { MessageKey } from '../i18n/fr';

/** The pictures offered as virtual backgrounds: our own artwork, served from /backgrounds/. */
export const BACKGROUND_IMAGES = [
  { id: 'dawn', label: 'effects.bg.dawn' },
  { id: 'lagoon', label: 'effects.bg.lagoon' },
  { id: 'meadow', label: 'effects.bg.meadow' },
] as const satisfies readonly { id: string; label: MessageKey }[];

export type BackgroundImageId = (typeof BACKGROUND_IMAGES)[number]['id'];

/** What replaces the camera's background: nothing, a blur, or one of our pictures. */
export type Background = { kind: 'none' } | { kind: 'blur' } | { kind: 'image'; id: BackgroundImageId };

export interface EffectSettings {
  background: Background;
  /** A model (RNNoise) on top of the browser's own noise suppression. */
  noiseSuppression: boolean;
}

export const NO_EFFECTS: EffectSettings = { background: { kind: 'none' }, noiseSuppression: false };

const STORAGE_KEY = 'visio.effects';

export function backgroundUrl(id: BackgroundImageId): string {
  return `/backgrounds/${id}.svg`;
}

/** A stable name for a background, as the picker and the tests see it. */
export function backgroundKey(b: Background): string {
  return b.kind === 'image' ? `image-${b.id}` : b.kind;
}

/**
 * The settings stored as {@code raw}, or none: what localStorage holds may come from an older
 * version or have been edited, so anything unexpected falls back to no effect.
 */
export function parseEffects(raw: string | null): EffectSettings {
  if (!raw) {
    return NO_EFFECTS;
  }
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) {
      return NO_EFFECTS;
    }
    const v = value as { background?: { kind?: unknown; id?: unknown }; noiseSuppression?: unknown };
    let background: Background = { kind: 'none' };
    if (v.background?.kind === 'blur') {
      background = { kind: 'blur' };
    } else if (v.background?.kind === 'image') {
      const image = BACKGROUND_IMAGES.find((i) => i.id === v.background?.id);
      if (image) {
        background = { kind: 'image', id: image.id };
      }
    }
    return { background, noiseSuppression: v.noiseSuppression === true };
  } catch {
    return NO_EFFECTS;
  }
}

export function loadEffects(): EffectSettings {
  try {
    return parseEffects(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return NO_EFFECTS; // storage disabled
  }
}

export function saveEffects(settings: EffectSettings): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}
