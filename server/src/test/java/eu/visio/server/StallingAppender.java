package eu.visio.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A logback appender that holds the thread logging one message until another message is logged, for
 * a test of a server process it cannot reach into: the room worker logging a participant's leave is
 * held until the drain gives up waiting, as a worker stuck in a slow task would be, so the
 * participant is still counted at the drain's deadline. Unsynchronized: the releasing message comes
 * from another thread while the held one is inside {@link #append}. Never holds a thread longer
 * than a minute, so that a test that fails leaves no process stuck for good.
 */
public final class StallingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final long MAX_HOLD_SECONDS = 60;

  /** Printed (to the process's output) as a thread is held. */
  static final String HOLDING = "StallingAppender holding";

  private final CountDownLatch release = new CountDownLatch(1);
  private volatile String holdOn = "";
  private volatile String releaseOn = "";

  /** A logging file for a server process: the tests' console output and this appender. */
  static String config(String holdOn, String releaseOn) {
    return """
        <configuration>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder>
              <pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{24} %%msg%%n</pattern>
            </encoder>
          </appender>
          <appender name="STALL" class="eu.visio.server.StallingAppender">
            <holdOn>%s</holdOn>
            <releaseOn>%s</releaseOn>
          </appender>
          <logger name="eu.visio" level="INFO"/>
          <root level="WARN">
            <appender-ref ref="STDOUT"/>
            <appender-ref ref="STALL"/>
          </root>
        </configuration>
        """
        .formatted(holdOn, releaseOn);
  }

  /** Text of the message whose logging thread is held. */
  public void setHoldOn(String text) {
    this.holdOn = text;
  }

  /** Text of the message that lets the held thread go. */
  public void setReleaseOn(String text) {
    this.releaseOn = text;
  }

  @Override
  protected void append(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (!releaseOn.isEmpty() && message.contains(releaseOn)) {
      release.countDown();
    } else if (!holdOn.isEmpty() && message.contains(holdOn) && release.getCount() > 0) {
      System.out.println(HOLDING + " [" + Thread.currentThread().getName() + "] at: " + message);
      try {
        release.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
