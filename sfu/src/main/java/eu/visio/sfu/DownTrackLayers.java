package eu.visio.sfu;

import eu.visio.sfu.alloc.LayerBitrates;
import eu.visio.sfu.alloc.StreamAllocator;

/**
 * A down track's source layers as its subscriber's allocator sees them: the current source's
 * measured rates, or one unmeasured layer while detached (a publisher reconnecting).
 */
final class DownTrackLayers implements StreamAllocator.Layers {
  private final DownTrack down;

  DownTrackLayers(DownTrack down) {
    this.down = down;
  }

  @Override
  public int spatialCount() {
    return rates() == null ? 1 : rates().spatialCount();
  }

  @Override
  public int width(int spatial) {
    return rates() == null ? 0 : rates().width(spatial);
  }

  @Override
  public int height(int spatial) {
    return rates() == null ? 0 : rates().height(spatial);
  }

  @Override
  public int temporalCount() {
    return rates() == null ? 0 : rates().temporalCount();
  }

  @Override
  public long bitrate(int spatial, int temporal, long nowNanos) {
    return rates() == null ? 0 : rates().bitrate(spatial, temporal, nowNanos);
  }

  @Override
  public boolean available(int spatial, long nowNanos) {
    return rates() != null && rates().available(spatial, nowNanos);
  }

  private LayerBitrates rates() {
    PublishedTrack source = down.source();
    return source == null ? null : source.bitrates();
  }
}
