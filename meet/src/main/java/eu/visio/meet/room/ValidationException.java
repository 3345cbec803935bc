package eu.visio.meet.room;

/**
 * A value from outside (a request, an identity provider, a database row) that the room model
 * refuses. The only exception the model's parsers and constructors throw for bad input, so a REST
 * layer can answer 400 with {@link #field()} without guessing what went wrong where.
 */
public final class ValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public ValidationException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The name of the refused field, as the REST API spells it (e.g. {@code name}). */
  public String field() {
    return field;
  }
}
