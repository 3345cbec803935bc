import { useSpeakingParticipants, useTracks } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../Announcer';
import { nameOf } from '../MeetingView';
import { ParticipantTile } from '../ParticipantTile';
import { arrange, pageCapacity, paginate, spotlight, stripCapacity, type TileKey } from './rules';
import { useStageState } from './StageState';
import { tileKey } from './tileKey';
import { useElementSize } from './useElementSize';
import '../../styles/stage.css';


// Kept in step with stage.css: the pager's height, a filmstrip tile's height (beside the
// spotlight) and width (under it, on a narrow stage).
const PAGER_HEIGHT = 48;
const STRIP_TALL = 120;
const STRIP_WIDE = 144;

/**
 * The stage: a paginated grid, or one tile big with a filmstrip beside it. Only the tiles shown
 * are rendered, so livekit-client's adaptive stream pauses every video nobody sees.
 */
export function Stage() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { layout, pinned, setPinned } = useStageState();
  const tracks = useTracks(
    [
      { source: Track.Source.ScreenShare, withPlaceholder: false },
      { source: Track.Source.Camera, withPlaceholder: true },
    ],
    { onlySubscribed: false },
  );
  const byKey = useMemo(() => new Map(tracks.map((r) => [tileKey(r), r])), [tracks]);

  // When each person last spoke, by their camera tile.
  const speakers = useSpeakingParticipants();
  const lastSpoke = useRef(new Map<TileKey, number>());
  const now = Date.now();
  for (const p of speakers) {
    lastSpoke.current.set(p.identity + '/' + Track.Source.Camera, now);
  }

  // When each screen share appeared: the newest remote one takes the spotlight.
  const shareSeen = useRef(new Map<TileKey, number>());
  const shares = tracks.filter((r) => r.source === Track.Source.ScreenShare);
  const sharing = new Set(shares.map(tileKey));
  for (const key of shareSeen.current.keys()) {
    if (!sharing.has(key)) {
      shareSeen.current.delete(key); // stopped: sharing again counts as new
    }
  }
  for (const key of sharing) {
    if (!shareSeen.current.has(key)) {
      shareSeen.current.set(key, now);
    }
  }
  const sharesNewestFirst = shares
    .map(tileKey)
    .sort((a, b) => shareSeen.current.get(b)! - shareSeen.current.get(a)!);
  const newestRemoteShare = shares
    .filter((r) => !r.participant.isLocal)
    .map(tileKey)
    .sort((a, b) => shareSeen.current.get(b)! - shareSeen.current.get(a)!)[0] ?? null;

  // A new remote share replaces any pin, as a presentation starting does in Meet.
  const announcedShare = useRef<TileKey | null>(null);
  useEffect(() => {
    if (!newestRemoteShare) {
      announcedShare.current = null;
    } else if (newestRemoteShare !== announcedShare.current) {
      announcedShare.current = newestRemoteShare;
      setPinned(null);
      const who = byKey.get(newestRemoteShare)?.participant;
      if (who) {
        announce(t('stage.sharing', { name: nameOf(who) }));
      }
    }
  }, [newestRemoteShare, byKey, setPinned, announce, t]);

  // A pin on someone who left, or a share that stopped, lets go.
  useEffect(() => {
    if (pinned && !byKey.has(pinned)) {
      setPinned(null);
    }
  }, [pinned, byKey, setPinned]);

  // The remote person who spoke last (else anyone): recomputed when the speakers change, since
  // lastSpoke is a ref they just filled.
  const activeSpeaker = useMemo(() => {
    let best: TileKey | null = null;
    for (const r of tracks) {
      const k = tileKey(r);
      if (r.source !== Track.Source.Camera || r.participant.isLocal) continue;
      if (best === null || (lastSpoke.current.get(k) ?? -1) > (lastSpoke.current.get(best) ?? -1)) {
        best = k;
      }
    }
    return best ?? (tracks[0] ? tileKey(tracks[0]) : null);
  }, [tracks, speakers]);

  const big = spotlight(layout, pinned && byKey.has(pinned) ? pinned : null, newestRemoteShare, activeSpeaker);
  const bigRef = big ? byKey.get(big) : undefined;

  const box = useRef<HTMLDivElement>(null);
  const size = useElementSize(box);
  const narrow = size.width < 760;
  const present = tracks.map(tileKey).filter((k) => k !== big);
  let capacity: number;
  if (!bigRef) {
    capacity = pageCapacity(size.width, Math.max(0, size.height - PAGER_HEIGHT));
  } else if (layout === 'focus') {
    capacity = 0;
  } else {
    capacity = narrow ? stripCapacity(size.width, STRIP_WIDE) : stripCapacity(size.height, STRIP_TALL);
    if (present.length > capacity) {
      capacity = Math.max(1, capacity - 1); // room for the "+N more" line
    }
  }

  const local = tracks.find((r) => r.participant.isLocal && r.source === Track.Source.Camera);
  const front = [...(pinned ? [pinned] : []), ...sharesNewestFirst, ...(local ? [tileKey(local)] : [])];
  const order = useRef<TileKey[]>([]);
  order.current = arrange(order.current, present, front, lastSpoke.current, Math.max(1, capacity));

  const [page, setPage] = useState(0);
  const view = paginate(order.current, Math.max(1, capacity), page);
  useEffect(() => {
    if (view.page !== page) setPage(view.page);
  }, [view.page, page]);

  const tile = (key: TileKey) => {
    const ref = byKey.get(key);
    return ref ? <ParticipantTile trackRef={ref} /> : null;
  };

  return (
    <div className={'stage-box' + (bigRef ? ' focused' : '') + (narrow ? ' narrow' : '')} ref={box} data-layout={layout}>
      {bigRef ? (
        <>
          <div className="spotlight" data-testid="spotlight" data-key={big}>
            {tile(big!)}
          </div>
          {capacity > 0 && order.current.length > 0 && (
            <ul className="filmstrip" data-testid="filmstrip" aria-label={t('stage.filmstrip')}>
              {order.current.slice(0, capacity).map((k) => (
                <li key={k} className="cell">
                  {tile(k)}
                </li>
              ))}
              {order.current.length > capacity && (
                <li className="strip-more" data-testid="strip-more">
                  {t('stage.more', { count: order.current.length - capacity })}
                </li>
              )}
            </ul>
          )}
        </>
      ) : (
        <>
          <ul
            className="grid"
            data-count={Math.min(view.items.length, 17)}
            data-page-size={capacity}
            data-testid="participant-grid"
          >
            {view.items.map((k) => (
              <li key={k} className={byKey.get(k)?.source === Track.Source.ScreenShare ? 'cell screen' : 'cell'}>
                {tile(k)}
              </li>
            ))}
          </ul>
          {view.pages > 1 && (
            <nav className="pager" aria-label={t('stage.pages')}>
              <button
                type="button"
                className="round small"
                onClick={() => setPage(view.page - 1)}
                disabled={view.page === 0}
                data-testid="page-prev"
              >
                <span aria-hidden="true">‹</span>
                <span className="visually-hidden">{t('stage.previous')}</span>
              </button>
              <span aria-live="polite" data-testid="page-label">
                {t('stage.page', { page: view.page + 1, pages: view.pages })}
              </span>
              <button
                type="button"
                className="round small"
                onClick={() => setPage(view.page + 1)}
                disabled={view.page === view.pages - 1}
                data-testid="page-next"
              >
                <span aria-hidden="true">›</span>
                <span className="visually-hidden">{t('stage.next')}</span>
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}
