package eu.visio.server;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.signal.livekit.LiveKitRooms;
import eu.visio.signal.livekit.SignalDrops;
import eu.visio.signal.webhook.WebhookNotifier;
import eu.visio.signal.whip.WhipService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;

/**
 * Prometheus metrics at {@code /metrics}: every packet drop by reason, datagrams in and out (in
 * total and per media worker), sessions, and the JVM. Counters are read when scraped, so the packet
 * path only bumps its own plain counters.
 */
final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final LiveKitRooms liveKitRooms;

  Metrics(DropCounters drops, UdpMediaPort port, WhipService whip, LiveKitRooms rooms) {
    this(drops, port, whip, rooms, null);
  }

  Metrics(
      DropCounters drops,
      UdpMediaPort port,
      WhipService whip,
      LiveKitRooms rooms,
      WebhookNotifier webhooks) {
    this.liveKitRooms = rooms;
    if (webhooks != null) {
      FunctionCounter.builder("visio_webhooks_delivered", webhooks, w -> w.delivered())
          .description("Webhook events delivered")
          .register(registry);
      FunctionCounter.builder("visio_webhooks_failed", webhooks, w -> w.failed())
          .description("Webhook events given up after the last retry")
          .register(registry);
      FunctionCounter.builder("visio_webhooks_dropped", webhooks, w -> w.dropped())
          .description("Webhook events dropped on a full queue")
          .register(registry);
    }
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("visio_media_dropped_packets", drops, d -> d.count(reason))
          .description("Packets dropped on the media path, by reason")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    FunctionCounter.builder("visio_media_udp_received_datagrams", port, p -> p.receivedCount())
        .register(registry);
    FunctionCounter.builder("visio_media_udp_sent_datagrams", port, p -> p.sentCount())
        .register(registry);
    for (MediaWorker w : port.workers()) {
      String worker = Integer.toString(w.index());
      FunctionCounter.builder("visio_media_worker_received_datagrams", w, x -> x.receivedCount())
          .description("Datagrams the worker's socket received")
          .tag("worker", worker)
          .register(registry);
      FunctionCounter.builder("visio_media_worker_sent_datagrams", w, x -> x.sentCount())
          .description("Datagrams the worker sent")
          .tag("worker", worker)
          .register(registry);
      FunctionCounter.builder("visio_media_worker_handed_off_datagrams", w, x -> x.handedOffCount())
          .description("Datagrams the worker received for an endpoint another worker owns")
          .tag("worker", worker)
          .register(registry);
      FunctionCounter.builder("visio_media_worker_received_bytes", w, x -> x.receivedBytes())
          .description("UDP payload bytes the worker's socket received")
          .tag("worker", worker)
          .register(registry);
      FunctionCounter.builder("visio_media_worker_sent_bytes", w, x -> x.sentBytes())
          .description("UDP payload bytes the worker sent")
          .tag("worker", worker)
          .register(registry);
      Gauge.builder("visio_media_worker_endpoints", w, x -> x.load())
          .description("Endpoint ufrags registered on the worker (about one per transport)")
          .tag("worker", worker)
          .register(registry);
    }
    for (LayerDropReason reason : LayerDropReason.values()) {
      FunctionCounter.builder(
              "visio_sfu_unsent_packets",
              whip,
              w -> w.forwardDrops(reason) + rooms.forwardDrops(reason))
          .description(
              "Source packets a subscriber's down track did not send (layer not selected,"
                  + " paused, waiting for a keyframe...), by reason")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    for (SignalDrops.Reason reason : SignalDrops.Reason.values()) {
      FunctionCounter.builder(
              "visio_signal_dropped_messages", rooms, r -> r.signalDrops().get(reason))
          .description("Client signalling messages not acted on, by reason")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    // One pass over the workers per scrape, shared by the gauges below.
    MediaTotalsCache media = new MediaTotalsCache(rooms);
    Gauge.builder("visio_nacks_sent", media, m -> m.get().nacksSent())
        .description("NACKs sent to the publishers in rooms now")
        .register(registry);
    Gauge.builder("visio_keyframe_requests", media, m -> m.get().keyframeRequests())
        .description("PLI/FIR sent to the publishers in rooms now")
        .register(registry);
    Gauge.builder("visio_retransmissions", media, m -> m.get().retransmissions())
        .description(
            "Packets resent to the subscribers in rooms now (RTX, or plain without it): their"
                + " NACKs answered from the history, and losses the publisher repaired")
        .register(registry);
    // Why NACKs may get no retransmission: a number lost before it reached us (the publisher
    // did not repair it) is not in the history, so it cannot be resent.
    Gauge.builder("visio_subscriber_nacked_packets", media, m -> m.get().nackedResent())
        .description("Packet numbers the subscribers in rooms now NACKed, by outcome")
        .tag("outcome", "resent")
        .register(registry);
    Gauge.builder("visio_subscriber_nacked_packets", media, m -> m.get().nackedNotInHistory())
        .description("Packet numbers the subscribers in rooms now NACKed, by outcome")
        .tag("outcome", "not_in_history")
        .register(registry);
    Gauge.builder("visio_subscriber_nacked_packets", media, m -> m.get().nackedRateLimited())
        .description("Packet numbers the subscribers in rooms now NACKed, by outcome")
        .tag("outcome", "rate_limited")
        .register(registry);
    Gauge.builder("visio_subscriber_nacked_packets", media, m -> m.get().nackedUnmapped())
        .description("Packet numbers the subscribers in rooms now NACKed, by outcome")
        .tag("outcome", "unmapped")
        .register(registry);
    Gauge.builder("visio_downlink_estimate_bps", media, m -> m.get().downlinkEstimateBps())
        .description("Subscribers' downlink bandwidth estimates, summed")
        .register(registry);
    Gauge.builder("visio_rooms", rooms, r -> r.roomCount())
        .description("LiveKit rooms with participants, or created and waiting for them")
        .register(registry);
    Gauge.builder("visio_participants", rooms, r -> r.stats().participants())
        .description("Participants in LiveKit rooms")
        .register(registry);
    Gauge.builder("visio_published_tracks", rooms, r -> r.stats().publications())
        .description("Tracks published in LiveKit rooms")
        .register(registry);
    Gauge.builder("visio_subscriptions", rooms, r -> r.stats().subscriptions())
        .description("Tracks being forwarded to a subscriber")
        .register(registry);
    FunctionCounter.builder("visio_relays_on_demand", rooms, r -> r.stats().relaysOnDemand())
        .description("Participants reached by no direct path, asked to resume with the TURN relays")
        .register(registry);
    io.micrometer.core.instrument.Timer join =
        io.micrometer.core.instrument.Timer.builder("visio_join_latency")
            .description("From a participant's signalling connection to its media being up")
            .publishPercentileHistogram()
            .register(registry);
    rooms.stats().onJoinLatency(n -> join.record(n, java.util.concurrent.TimeUnit.NANOSECONDS));
    Gauge.builder("visio_whip_sessions", whip, w -> w.activeSessions())
        .description("Active WHIP and WHEP sessions")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** Adds the cluster's counters, if this node is in one. */
  Metrics withCluster(eu.visio.server.cluster.ClusterNode cluster) {
    if (cluster == null) {
      return this;
    }
    FunctionCounter.builder("visio_cluster_relayed_sessions", cluster, c -> c.relayedSessions())
        .description("Signalling sessions relayed to the node their room lives on")
        .register(registry);
    FunctionCounter.builder("visio_cluster_refused_joins", cluster, c -> c.refusedJoins())
        .description("Joins refused because the cluster could not place their room")
        .register(registry);
    Gauge.builder("visio_cluster_rooms_held", cluster, c -> c.heldRooms())
        .description("Rooms whose lease this node holds")
        .register(registry);
    eu.visio.signal.cluster.NodeRegistry registry0 = cluster.cluster().registry();
    FunctionCounter.builder(
            "visio_cluster_heartbeat_failures", registry0, r -> r.heartbeatFailures())
        .description("Heartbeats that could not reach Redis")
        .register(registry);
    cluster.failover().register(registry);
    String[] events = {"sent", "received", "dropped", "malformed", "link_silent"};
    for (int i = 0; i < events.length; i++) {
      int at = i;
      FunctionCounter.builder(
              "visio_cluster_cascade_messages", cluster, c -> c.cascadeMessages()[at])
          .description("Cascade states and data packets on the cluster bus, by what became of them")
          .tag("event", events[i])
          .register(registry);
    }
    if (liveKitRooms != null) {
      String[] directions = {"sent", "received"};
      for (int i = 0; i < directions.length; i++) {
        int at = i;
        FunctionCounter.builder(
                "visio_cluster_cascade_link_packets", liveKitRooms, r -> r.cascadeLinkPackets()[at])
            .description("RTP packets on this node's cascade links, each way (rooms open now)")
            .tag("direction", directions[i])
            .register(registry);
      }
    }
    return this;
  }

  /**
   * The embedded TURN server's counters (none when null): refusals and drops by reason, as the
   * media drops, allocations made and alive, datagrams relayed each way. Read when scraped.
   */
  Metrics withTurn(eu.visio.media.turn.TurnServer turn) {
    if (turn == null) {
      return this;
    }
    eu.visio.media.turn.TurnCounters c = turn.counters();
    for (eu.visio.media.turn.TurnReason reason : eu.visio.media.turn.TurnReason.values()) {
      FunctionCounter.builder("visio_turn_refused", c, x -> x.count(reason))
          .description("TURN requests refused and packets dropped, by reason")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    FunctionCounter.builder("visio_turn_allocations_made", c, x -> x.allocationsCreated())
        .description("TURN allocations made since start")
        .register(registry);
    Gauge.builder("visio_turn_active_allocations", turn, t -> t.allocationCount())
        .description("TURN allocations alive now")
        .register(registry);
    FunctionCounter.builder("visio_turn_relayed_to_peers", c, x -> x.packetsToPeers())
        .description("Datagrams TURN relays sent to peers (the SFU)")
        .register(registry);
    FunctionCounter.builder("visio_turn_relayed_to_clients", c, x -> x.packetsToClients())
        .description("Datagrams from peers TURN delivered to its clients")
        .register(registry);
    return this;
  }

  /** The media totals, computed once per scrape (a second's worth of reuse). */
  private static final class MediaTotalsCache {
    private final LiveKitRooms rooms;
    private eu.visio.signal.livekit.MediaTotals last;
    private long at;

    MediaTotalsCache(LiveKitRooms rooms) {
      this.rooms = rooms;
    }

    synchronized eu.visio.signal.livekit.MediaTotals get() {
      long now = System.nanoTime();
      if (last == null || now - at > 1_000_000_000L) {
        last = rooms.mediaTotals();
        at = now;
      }
      return last;
    }
  }

  String scrape() {
    return registry.scrape();
  }
}
