package eu.visio.sfu;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named stream with at most one publisher and any number of subscribers (WHIP ingest, WHEP
 * playback). Down tracks outlive publishers: when a publisher reconnects or is replaced, every
 * subscriber's down track moves to the new source of the same kind and continues seamlessly.
 */
public final class Broadcast {
  private static final Logger log = LoggerFactory.getLogger(Broadcast.class);

  private final String name;
  private Publisher publisher;
  private final List<DownTrack> downTracks = new ArrayList<>();
  private final List<Subscriber> viewers = new ArrayList<>();

  public Broadcast(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public Publisher publisher() {
    return publisher;
  }

  public boolean isEmpty() {
    return publisher == null && downTracks.isEmpty() && viewers.isEmpty();
  }

  /**
   * Adds a viewer and its down tracks (allocated on its downlink by its own {@link Subscriber}).
   */
  public void addViewer(Subscriber viewer, List<DownTrack> downs, long nowNanos) {
    viewers.add(viewer);
    for (DownTrack d : downs) {
      addDownTrack(d, nowNanos);
    }
  }

  public void removeViewer(Subscriber viewer, List<DownTrack> downs) {
    viewers.remove(viewer);
    for (DownTrack d : downs) {
      removeDownTrack(d);
    }
  }

  /** NACKs and feedback to the publisher, allocation and probing for the viewers. */
  public void tick(long nowNanos) {
    if (publisher != null) {
      publisher.tick(nowNanos);
    }
    for (Subscriber v : viewers) {
      v.tick(nowNanos);
    }
  }

  /** Receiver reports and REMB to the publisher. */
  public void sendReports(long nowNanos) {
    if (publisher != null) {
      publisher.sendReports(nowNanos);
    }
  }

  /** Makes {@code next} the publisher, moving every down track onto its tracks. */
  public void setPublisher(Publisher next, long nowNanos) {
    if (publisher != null && publisher != next) {
      for (PublishedTrack t : publisher.tracks()) {
        t.detachAll();
      }
      log.debug("stream={} publisher {} replaced by {}", name, publisher.id(), next.id());
    }
    publisher = next;
    for (DownTrack d : downTracks) {
      attach(d, nowNanos);
    }
  }

  /** Removes {@code p} if it is the publisher; subscribers stay, waiting for the next one. */
  public void removePublisher(Publisher p) {
    if (publisher != p) {
      return;
    }
    for (PublishedTrack t : p.tracks()) {
      t.detachAll();
    }
    publisher = null;
  }

  public void addDownTrack(DownTrack down, long nowNanos) {
    downTracks.add(down);
    attach(down, nowNanos);
  }

  public void removeDownTrack(DownTrack down) {
    downTracks.remove(down);
    if (down.source() != null) {
      down.source().removeDownTrack(down);
    }
  }

  public int subscriberTrackCount() {
    return downTracks.size();
  }

  private void attach(DownTrack down, long nowNanos) {
    if (publisher == null) {
      return;
    }
    for (PublishedTrack t : publisher.tracks()) {
      if (t.info().kind() == down.info().kind()) {
        t.addDownTrack(down, nowNanos);
        return;
      }
    }
  }
}
