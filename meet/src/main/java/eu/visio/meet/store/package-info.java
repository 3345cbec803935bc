/**
 * Where rooms, roles, users and sign-in sessions ({@link eu.visio.meet.store.JdbcSessionStore}) are
 * kept: {@link eu.visio.meet.store.Database} (a HikariCP pool, Flyway migrations; embedded H2 in
 * PostgreSQL mode by default, PostgreSQL when configured) and plain-JDBC repositories, one per
 * concept. Every method runs in its own transaction and reports failure as a {@link
 * eu.visio.meet.store.StoreException} with a stable code. Blocking: call from request threads
 * (virtual or not), never from a media worker.
 */
package eu.visio.meet.store;
