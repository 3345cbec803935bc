package eu.visio.server.api;

import io.javalin.http.Context;

/**
 * One route of the API: method ({@code get}, {@code post}, {@code patch}, {@code put}, {@code
 * delete}), path in Javalin's {@code {param}} syntax, handler.
 */
record Route(String method, String path, Route.Handler handler) {
  interface Handler {
    void handle(Context ctx) throws Exception;
  }
}
