package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.token.VideoGrant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server as configured with a webhook URL and ICE servers: participants joining and leaving
 * reach LiveKit's WebhookReceiver in order, and clients get the ICE servers when they join.
 */
class WebhookServerTest {
  private WebhookInbox inbox;
  private VisioServer server;

  @BeforeEach
  void start() throws Exception {
    inbox = new WebhookInbox();
    server =
        TestServers.withWebhook(
            inbox.url(),
            List.of(
                new ServerConfig.IceServer(
                    List.of("turn:turn.example.org:3478?transport=udp"), "visio", "s3cret")));
  }

  @AfterEach
  void stop() {
    server.close();
    inbox.close();
  }

  WebhookEvent next() throws InterruptedException {
    WebhookEvent e = inbox.poll(5000);
    assertThat(e).as("a webhook within 5 s").isNotNull();
    return e;
  }

  @Test
  void roomAndParticipantEventsReachLiveKitsReceiver() throws Exception {
    RtcSignalTest.Client alice =
        RtcSignalTest.connect(
            server.httpPort(), RtcSignalTest.token("alice", VideoGrant.join("hooks")));
    var join = alice.next().getJoin();
    assertThat(join.getIceServersList()).hasSize(1);
    assertThat(join.getIceServers(0).getUrls(0))
        .isEqualTo("turn:turn.example.org:3478?transport=udp");
    assertThat(join.getIceServers(0).getCredential()).isEqualTo("s3cret");

    alice.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      WebhookEvent e = next();
      names.add(e.getEvent());
      assertThat(e.getRoom().getName()).isEqualTo("hooks");
      assertThat(e.getRoom().getSid()).isEqualTo(join.getRoom().getSid());
      if (e.getEvent().startsWith("participant")) {
        assertThat(e.getParticipant().getIdentity()).isEqualTo("alice");
      }
    }
    assertThat(names)
        .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.webhooks().delivered() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the count follows the receiver's answer
    }
    assertThat(server.webhooks().delivered()).isEqualTo(4);
  }

  @Test
  void readyOnceStarted() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/readyz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ready");
  }
}
