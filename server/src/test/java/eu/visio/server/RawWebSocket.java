package eu.visio.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client (RFC 6455) on a plain socket, for what {@code java.net.http}'s cannot do: put
 * thousands of frames on the wire in one write, so that a test of a server's rate limit does not
 * depend on how fast a loaded machine completes one send after another.
 */
final class RawWebSocket implements AutoCloseable {
  /**
   * What {@link #awaitClose} answers when the connection was reset: a server closing its socket
   * with frames of ours still unread sends a TCP RST (RFC 9293 §3.6), which can take its close
   * frame with it.
   */
  static final String RESET = "reset";

  private final Socket socket;
  private final OutputStream out;
  private final LinkedBlockingQueue<byte[]> binary = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Opens {@code pathAndQuery} on 127.0.0.1:{@code port}, after a 101 answer to the upgrade. */
  static RawWebSocket open(int port, String pathAndQuery) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setTcpNoDelay(true);
    RawWebSocket ws = new RawWebSocket(s);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request =
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    DataInputStream in = new DataInputStream(s.getInputStream());
    String status = readLine(in);
    if (!status.startsWith("HTTP/1.1 101")) {
      s.close();
      throw new IOException("upgrade refused: " + status);
    }
    while (!readLine(in).isEmpty()) {
      // the answer's headers
    }
    Thread.ofVirtual().name("raw-websocket-reader").start(() -> ws.read(in));
    return ws;
  }

  /** The next binary message the server sent, within {@code timeout}. */
  byte[] nextBinary(Duration timeout) throws InterruptedException {
    byte[] b = binary.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (b == null) {
      throw new AssertionError("no binary message within " + timeout);
    }
    return b;
  }

  /** Sends {@code count} binary messages of {@code payload}, masked, in one write. */
  void sendBinary(byte[] payload, int count) throws IOException {
    if (payload.length > 125) {
      throw new IllegalArgumentException("short payloads only");
    }
    int frame = 2 + 4 + payload.length;
    byte[] wire = new byte[frame * count];
    byte[] mask = new byte[4];
    for (int i = 0; i < count; i++) {
      int at = i * frame;
      ThreadLocalRandom.current().nextBytes(mask);
      wire[at] = (byte) 0x82; // FIN, binary
      wire[at + 1] = (byte) (0x80 | payload.length); // masked, as every client frame must be
      System.arraycopy(mask, 0, wire, at + 2, 4);
      for (int j = 0; j < payload.length; j++) {
        wire[at + 6 + j] = (byte) (payload[j] ^ mask[j & 3]);
      }
    }
    out.write(wire);
    out.flush();
  }

  /** "code reason" of the server's close frame, within {@code timeout}. */
  String awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void read(DataInputStream in) {
    try {
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(len)]; // a server's frames are not masked
        in.readFully(payload);
        int opcode = b0 & 0x0f;
        if (opcode == 0x2) {
          binary.add(payload);
        } else if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          String reason =
              payload.length > 2
                  ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                  : "";
          closed.complete(code + " " + reason);
          return;
        }
      }
    } catch (EOFException e) {
      closed.complete("1006 closed without a close frame");
    } catch (java.net.SocketException e) {
      if (String.valueOf(e.getMessage()).contains("reset")) {
        closed.complete(RESET);
      } else {
        closed.completeExceptionally(e);
      }
    } catch (IOException | RuntimeException e) {
      closed.completeExceptionally(e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed in the upgrade's answer");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
