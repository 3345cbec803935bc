package eu.visio.loadtest.janus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The requests as Janus's HTTP API reads them (exact JSON text), and replies as Janus 1.1.2 sent
 * them in a load test run (shortened), read back.
 */
class JanusMessagesTest {
  @Test
  void coreRequests() {
    assertThat(JanusMessages.core("create", "t1").toString())
        .isEqualTo("{\"janus\":\"create\",\"transaction\":\"t1\"}");
    assertThat(JanusMessages.attach("t2", JanusMessages.VIDEOROOM).toString())
        .isEqualTo(
            "{\"janus\":\"attach\",\"transaction\":\"t2\",\"plugin\":\"janus.plugin.videoroom\"}");
  }

  @Test
  void aPublisherJoinsAndConfiguresWithItsOfferAndItsRidOrder() {
    String json =
        JanusMessages.message(
                "t5", JanusMessages.publish(1001, 1, "pub-0"), JanusMessages.offerLowToHigh("v=0"))
            .toString();
    assertThat(json)
        .isEqualTo(
            "{\"janus\":\"message\",\"transaction\":\"t5\",\"body\":{\"request\":\"joinandconfigure\","
                + "\"ptype\":\"publisher\",\"room\":1001,\"id\":1,\"display\":\"pub-0\"},"
                + "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\",\"rid_order\":\"lmh\"}}");
  }

  @Test
  void aSubscriberAsksForEveryFeedAtOneLayer() {
    assertThat(JanusMessages.subscribe(1001, List.of(1L, 3L), 2).toString())
        .isEqualTo(
            "{\"request\":\"join\",\"ptype\":\"subscriber\",\"room\":1001,\"use_msid\":false,"
                + "\"streams\":[{\"feed\":1,\"substream\":2,\"temporal\":2},"
                + "{\"feed\":3,\"substream\":2,\"temporal\":2}]}");
    assertThat(
            JanusMessages.message("t9", JanusMessages.start(), JanusMessages.answer("v=0"))
                .toString())
        .isEqualTo(
            "{\"janus\":\"message\",\"transaction\":\"t9\",\"body\":{\"request\":\"start\"},"
                + "\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
  }

  @Test
  void aRoomTakesTheRequestedPublishersWithoutCapsOrPeriodicKeyframes() {
    JsonNode b = JanusMessages.createRoom(1001, 1000);
    assertThat(b.path("request").asText()).isEqualTo("create");
    assertThat(b.path("room").asLong()).isEqualTo(1001);
    assertThat(b.path("publishers").asInt()).isEqualTo(1000);
    assertThat(b.path("bitrate").asInt()).isZero();
    assertThat(b.path("fir_freq").asInt()).isZero();
    assertThat(b.path("videocodec").asText()).isEqualTo("vp8");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // reply | error, or empty for none
        "{\"janus\":\"success\",\"transaction\":\"t1\",\"data\":{\"id\":6477977735904623}} |",
        "{\"janus\":\"ack\",\"session_id\":1,\"transaction\":\"t5\"} |",
        "{\"janus\":\"error\",\"transaction\":\"t3\",\"error\":{\"code\":458,\"reason\":\"No such session 12\"}}"
            + " | Janus error 458: No such session 12",
        "{\"janus\":\"event\",\"transaction\":\"t7\",\"sender\":2,\"plugindata\":{\"plugin\":"
            + "\"janus.plugin.videoroom\",\"data\":{\"videoroom\":\"event\",\"error_code\":426,"
            + "\"error\":\"No such room (1001)\"}}} | VideoRoom error 426: No such room (1001)",
        "{\"janus\":\"event\",\"transaction\":\"t12\",\"sender\":8324046252585107,\"plugindata\":"
            + "{\"plugin\":\"janus.plugin.videoroom\",\"data\":{\"videoroom\":\"event\",\"room\":1001,"
            + "\"started\":\"ok\"}}} |",
      })
  void errorsAreFoundInTheCoreOrThePlugin(String reply, String error) throws Exception {
    assertThat(JanusMessages.error(JanusMessages.JSON.readTree(reply))).isEqualTo(error);
  }

  @Test
  void theIdsOfSuccesses() throws Exception {
    assertThat(
            JanusMessages.successId(
                JanusMessages.JSON.readTree(
                    "{\"janus\":\"success\",\"session_id\":6477977735904623,\"transaction\":\"t2\","
                        + "\"data\":{\"id\":6977798974614971}}")))
        .isEqualTo(6977798974614971L);
    assertThatThrownBy(
            () ->
                JanusMessages.successId(
                    JanusMessages.JSON.readTree("{\"janus\":\"ack\",\"transaction\":\"t2\"}")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSdpOfAnEventByType() throws Exception {
    JsonNode joined =
        JanusMessages.JSON.readTree(
            "{\"janus\":\"event\",\"transaction\":\"t5\",\"sender\":1547863102437339,\"plugindata\":"
                + "{\"plugin\":\"janus.plugin.videoroom\",\"data\":{\"videoroom\":\"joined\","
                + "\"room\":1001,\"id\":1,\"publishers\":[]}},"
                + "\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\ns=VideoRoom 1001\\r\\n\"}}");
    assertThat(JanusMessages.sdpOf(joined, "answer")).isEqualTo("v=0\r\ns=VideoRoom 1001\r\n");
    assertThat(JanusMessages.sdpOf(joined, "offer")).isNull();
    assertThat(JanusMessages.pluginData(joined).path("videoroom").asText()).isEqualTo("joined");
  }
}
