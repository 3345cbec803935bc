package eu.visio.signal.token;

import java.time.Instant;
import java.util.Map;

/**
 * What a verified LiveKit access token says.
 *
 * @param apiKey the issuer ({@code iss}): the API key whose secret signed it
 * @param identity the participant's identity ({@code sub}); empty for service tokens
 * @param name display name
 * @param kind participant kind ({@code standard}, {@code agent}, ...), empty when absent
 * @param metadata participant metadata
 * @param attributes participant attributes
 * @param video the video grant (defaults when the claim is absent)
 * @param sipAdmin the SIP grant's admin flag
 * @param sipCall the SIP grant's call flag
 * @param roomConfig the {@code roomConfig} claim as parsed JSON, or an empty map
 * @param sha256 the request body digest a Room service token binds to, empty when absent
 * @param notBefore {@code nbf}, or null
 * @param expires {@code exp}
 */
public record AccessClaims(
    String apiKey,
    String identity,
    String name,
    String kind,
    String metadata,
    Map<String, String> attributes,
    VideoGrant video,
    boolean sipAdmin,
    boolean sipCall,
    Map<String, Object> roomConfig,
    String sha256,
    Instant notBefore,
    Instant expires) {

  public AccessClaims {
    identity = identity == null ? "" : identity;
    name = name == null ? "" : name;
    kind = kind == null ? "" : kind;
    metadata = metadata == null ? "" : metadata;
    sha256 = sha256 == null ? "" : sha256;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    roomConfig =
        roomConfig == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(roomConfig));
  }
}
