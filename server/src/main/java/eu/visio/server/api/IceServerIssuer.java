package eu.visio.server.api;

import eu.visio.server.ServerConfig;
import java.time.Duration;
import java.util.List;

/**
 * The STUN and TURN servers, with credentials for {@code identity} valid {@code ttl}, to hand out.
 */
@FunctionalInterface
public interface IceServerIssuer {
  List<ServerConfig.IceServer> issue(String identity, Duration ttl);
}
