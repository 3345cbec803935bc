package eu.visio.server.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * Hand-made TLS 1.2-style ClientHellos, to offer what the JDK's own client refuses to (TLS 1.1, CBC
 * suites, RSA key exchange) and see what the server does with them. Only what an ECDSA P-256 server
 * needs to answer is included.
 */
public final class ClientHellos {
  public static final int TLS_1_1 = 0x0302;
  public static final int TLS_1_2 = 0x0303;

  public static final int ECDHE_ECDSA_AES_128_GCM_SHA256 = 0xc02b;
  public static final int ECDHE_ECDSA_AES_128_CBC_SHA = 0xc009;
  public static final int ECDHE_ECDSA_AES_128_CBC_SHA256 = 0xc023;
  public static final int ECDHE_ECDSA_AES_256_CBC_SHA384 = 0xc024;
  public static final int RSA_AES_128_GCM_SHA256 = 0x009c;
  public static final int RSA_AES_128_CBC_SHA = 0x002f;

  private ClientHellos() {}

  /** The record: a ClientHello for {@code version} offering {@code suites}. */
  public static byte[] hello(int version, int... suites) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, version); // client_version
    body.writeBytes(new byte[32]); // random (zeros are fine for a refusal test)
    body.write(0); // session_id: empty
    u16(body, suites.length * 2);
    for (int s : suites) {
      u16(body, s);
    }
    body.writeBytes(new byte[] {1, 0}); // compression: null only
    byte[] extensions = {
      0x00,
      0x0a,
      0x00,
      0x04,
      0x00,
      0x02,
      0x00,
      0x17, // supported_groups: secp256r1
      0x00,
      0x0b,
      0x00,
      0x02,
      0x01,
      0x00, // ec_point_formats: uncompressed
      0x00,
      0x0d,
      0x00,
      0x04,
      0x00,
      0x02,
      0x04,
      0x03, // signature_algorithms: ecdsa_p256_sha256
      (byte) 0xff,
      0x01,
      0x00,
      0x01,
      0x00 // renegotiation_info: empty (a first handshake)
    };
    u16(body, extensions.length);
    body.writeBytes(extensions);
    byte[] b = body.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16); // handshake
    u16(record, 0x0301); // record version, as clients send for compatibility
    u16(record, b.length + 4);
    record.write(0x01); // ClientHello
    record.write(0);
    u16(record, b.length);
    record.writeBytes(b);
    return record.toByteArray();
  }

  /** What the server answered a hello with. */
  public sealed interface Answer {}

  /** A ServerHello choosing {@code version} and {@code suite}. */
  public record ServerHello(int version, int suite) implements Answer {}

  /** A fatal alert ({@code 70}: protocol_version, {@code 40}: handshake_failure). */
  public record Alert(int description) implements Answer {}

  /** The connection closed without an answer. */
  public record Closed() implements Answer {}

  /** Sends {@code hello} on {@code s} and reads the first record of the answer. */
  public static Answer send(Socket s, byte[] hello) throws IOException {
    s.getOutputStream().write(hello);
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    byte[] header = in.readNBytes(5);
    if (header.length < 5) {
      return new Closed();
    }
    int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
    byte[] body = in.readNBytes(length);
    if (header[0] == 0x15) {
      return new Alert(body[1] & 0xff);
    }
    if (header[0] != 0x16 || body[0] != 0x02) {
      throw new IOException("unexpected record " + Arrays.toString(header));
    }
    // ServerHello: type (1), length (3), version (2), random (32), session id (1 + n), suite (2).
    int version = ((body[4] & 0xff) << 8) | (body[5] & 0xff);
    int sid = body[38] & 0xff;
    int suite = ((body[39 + sid] & 0xff) << 8) | (body[40 + sid] & 0xff);
    return new ServerHello(version, suite);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}
