package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is served and describes exactly the routes the server has. */
class OpenApiTest {
  @Test
  void theDocumentMatchesTheRoutes() throws Exception {
    try (VisioServer server = TestServers.withKeys()) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.httpPort() + "/api/v1/openapi.json"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      JsonNode doc = new ObjectMapper().readTree(r.body());
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      TreeSet<String> documented = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
          paths.hasNext(); ) {
        Map.Entry<String, JsonNode> p = paths.next();
        for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
          String m = methods.next();
          if (!m.equals("parameters")) {
            documented.add(m + " " + p.getKey());
          }
        }
      }
      TreeSet<String> served =
          new TreeSet<>(
              new eu.visio.server.api.MeetApi(
                      null,
                      null,
                      null,
                      null,
                      Optional.empty(),
                      null,
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      null)
                  .routeNames());
      assertThat(documented).isEqualTo(served);
      // Every component a path refers to exists.
      assertThat(doc.get("paths").findValues("$ref")).isNotEmpty();
      doc.get("paths")
          .findValues("$ref")
          .forEach(
              ref -> {
                String[] parts = ref.asText().substring(2).split("/");
                assertThat(doc.at("/" + String.join("/", parts)).isMissingNode())
                    .as(ref.asText())
                    .isFalse();
              });
    }
  }
}
