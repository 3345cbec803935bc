package eu.visio.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import eu.visio.meet.Meetings;
import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.meet.identity.Guest;
import eu.visio.meet.identity.Identity;
import eu.visio.meet.identity.Session;
import eu.visio.meet.identity.Sessions;
import eu.visio.meet.room.ValidationException;
import eu.visio.meet.store.StoreException;
import eu.visio.meet.store.Users;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every route of the API shares: JSON in (unknown fields refused) and out, errors as {@code
 * {"code", "message"}}, the session behind the cookie, the CSRF check on writes, the caller as the
 * meeting service knows it, and rate limits.
 */
final class Api {
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Logger LOG = LoggerFactory.getLogger(Api.class);

  private final ObjectMapper json =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private final Sessions sessions;
  private final Users users;

  Api(Sessions sessions, Users users) {
    this.sessions = sessions;
    this.users = users;
  }

  Sessions sessions() {
    return sessions;
  }

  Users users() {
    return users;
  }

  /** Runs a handler, every refusal it throws answered as JSON, anything unexpected as a 500. */
  void handle(Context ctx, Route.Handler h) {
    try {
      h.handle(ctx);
    } catch (ApiError e) {
      error(ctx, e.status, e.code, e.getMessage());
    } catch (Meetings.MeetingException e) {
      int status =
          switch (e.code()) {
            case "NOT_FOUND" -> 404;
            case "FORBIDDEN" -> 403;
            case "FULL" -> 503;
            case "CONFLICT" -> 409;
            default -> 400;
          };
      error(ctx, status, e.code(), e.getMessage());
    } catch (ValidationException e) {
      error(ctx, 400, "INVALID", e.getMessage());
    } catch (StoreException e) {
      int status =
          switch (e.code()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case UNAVAILABLE -> 503;
          };
      error(ctx, status, e.code().name(), e.getMessage());
    } catch (eu.visio.signal.cluster.ClusterUnavailableException
        | eu.visio.meet.moderation.RoomAccess.UnavailableException e) {
      // A cluster whose Redis, or the node a meeting lives on, cannot be reached now.
      LOG.info("{} {} unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
      error(ctx, 503, "UNAVAILABLE", "the meeting cannot be reached now, try again");
    } catch (Exception e) {
      LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, "INTERNAL", "internal error");
    }
  }

  void error(Context ctx, int status, String code, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message == null ? "" : message);
    write(ctx.status(status), body);
  }

  void write(Context ctx, Object body) {
    ctx.contentType("application/json").result(json(body));
  }

  String json(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The request's JSON body as {@code type}; 400 for anything else, unknown fields included. */
  <T> T body(Context ctx, Class<T> type) {
    try {
      T t = json.readValue(ctx.bodyAsBytes(), type);
      if (t == null) {
        throw ApiError.invalid("a JSON object is expected");
      }
      return t;
    } catch (java.io.IOException e) {
      String reason =
          e instanceof UnrecognizedPropertyException u
              ? "unknown field '" + u.getPropertyName() + "'"
              : "not the JSON this endpoint takes";
      throw ApiError.invalid(reason);
    }
  }

  Optional<Session> current(Context ctx) {
    return sessions.fromCookieHeader(ctx.header("Cookie"));
  }

  Session required(Context ctx) {
    return current(ctx).orElseThrow(() -> new ApiError(401, "UNAUTHENTICATED", "no session"));
  }

  /** A cookie-authenticated write: the session's CSRF token must come with it. */
  Session writer(Context ctx) {
    Session s = required(ctx);
    if (!sessions.csrfOk(s, ctx.header(CSRF_HEADER))) {
      throw new ApiError(403, "CSRF", "missing or wrong " + CSRF_HEADER);
    }
    return s;
  }

  /** The session's principal as the meeting service knows it. */
  Meetings.Caller caller(Session s) {
    return switch (s.principal()) {
      case Identity i ->
          new Meetings.Caller(
              i.id(),
              users.findByIdentity(i.issuer(), i.subject()).map(u -> u.id()),
              i.displayName(),
              true);
      case Guest g -> new Meetings.Caller(g.id(), Optional.empty(), g.displayName(), false);
    };
  }

  /** 429 with Retry-After when {@code client} is over {@code limit}. */
  static void limit(Context ctx, ClientRateLimit limit, String client) {
    if (!limit.allow(client)) {
      ctx.header("Retry-After", Long.toString(Math.max(1, limit.retryAfterSeconds(client))));
      throw new ApiError(429, "RATE_LIMITED", "too many requests; retry later");
    }
  }

  /** A required boolean field. */
  static boolean required(Boolean value, String field) {
    if (value == null) {
      throw ApiError.invalid(field + ": true or false");
    }
    return value;
  }
}
