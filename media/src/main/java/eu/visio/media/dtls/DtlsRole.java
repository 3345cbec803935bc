package eu.visio.media.dtls;

import java.util.Locale;

/**
 * Which side of the DTLS handshake we play, derived from SDP {@code a=setup} (RFC 4145 §4, RFC 8842
 * §5). The attribute names the role of the endpoint that wrote it, so the remote's value maps to
 * the opposite role for us:
 *
 * <ul>
 *   <li>remote {@code active}: the remote connects, it is the DTLS client, so we are the {@link
 *       #SERVER};
 *   <li>remote {@code passive}: the remote waits, so we connect and are the {@link #CLIENT};
 *   <li>remote {@code actpass} (only legal in an offer, RFC 8842 §5.2): we, the answerer, choose.
 *       We answer {@code passive} and are the {@link #SERVER}. RFC 8842 §5.3 allows either value;
 *       passive suits an ICE-lite server: it never has to pick a candidate pair to send a
 *       ClientHello on, the full-ICE client starts the handshake once it has nominated one.
 * </ul>
 *
 * {@code holdconn} (no connection wanted) is rejected: a peer connection always needs DTLS.
 */
public enum DtlsRole {
  /** We send the ClientHello ({@code DTLSClientProtocol.connect}). */
  CLIENT,
  /** We wait for the ClientHello ({@code DTLSServerProtocol.accept}). */
  SERVER;

  /** The {@code a=setup} value an offerer MUST use (RFC 8842 §5.2). */
  public static final String OFFER_SETUP = "actpass";

  /**
   * Our role when we answer an offer whose {@code a=setup} is {@code remoteSetup}.
   *
   * @throws DtlsParseException for {@code holdconn} or an unknown value
   */
  public static DtlsRole forRemoteOffer(String remoteSetup) throws DtlsParseException {
    return switch (normalize(remoteSetup)) {
      case "actpass", "active" -> SERVER;
      case "passive" -> CLIENT;
      default -> throw new DtlsParseException("unsupported a=setup in offer");
    };
  }

  /**
   * Our role when the remote answers our {@code actpass} offer with {@code remoteSetup}.
   *
   * @throws DtlsParseException for {@code actpass} (an answerer MUST NOT use it, RFC 8842 §5.3),
   *     {@code holdconn} or an unknown value
   */
  public static DtlsRole forRemoteAnswer(String remoteSetup) throws DtlsParseException {
    return switch (normalize(remoteSetup)) {
      case "active" -> SERVER;
      case "passive" -> CLIENT;
      default -> throw new DtlsParseException("unsupported a=setup in answer");
    };
  }

  /** The {@code a=setup} value that announces this role in our answer. */
  public String answerSetup() {
    return this == CLIENT ? "active" : "passive";
  }

  private static String normalize(String setup) throws DtlsParseException {
    if (setup == null) {
      throw new DtlsParseException("missing a=setup");
    }
    return setup.trim().toLowerCase(Locale.ROOT);
  }
}
