package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DtlsWarmupTest {
  @Test
  void aHandshakeBetweenTwoEndsHoldingOneCertificateConnects() {
    Duration took = DtlsWarmup.handshake(DtlsCertificate.generate(), Duration.ofSeconds(10));
    assertThat(took).isPositive().isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void onceRunsOnePerJvm() {
    DtlsCertificate cert = DtlsCertificate.generate();
    DtlsWarmup.once(cert, Duration.ofSeconds(10)); // this JVM's first, or already done
    assertThat(DtlsWarmup.once(cert, Duration.ofSeconds(10))).isZero();
  }
}
