package eu.visio.meet.invite;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * Sends invitation emails over SMTP (Jakarta Mail): a text body with the meeting link, and the
 * meeting as an {@code invite.ics} attachment. Recipients go in Bcc, as La Suite Meet does, so
 * invitees do not learn each other's addresses.
 */
public final class Mailer {
  /** An invitation could not be sent; the message says why, without secrets. */
  public static final class MailException extends Exception {
    private static final long serialVersionUID = 1L;

    MailException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final int TIMEOUT_MILLIS = 10_000;

  private final SmtpConfig config;
  private final Session session;

  public Mailer(SmtpConfig config) {
    this.config = config;
    Properties p = new Properties();
    String proto = config.security() == SmtpConfig.Security.TLS ? "smtps" : "smtp";
    p.put("mail.transport.protocol", proto);
    p.put("mail." + proto + ".host", config.host());
    p.put("mail." + proto + ".port", Integer.toString(config.port()));
    p.put("mail." + proto + ".connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail." + proto + ".timeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail." + proto + ".writetimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail." + proto + ".auth", Boolean.toString(config.username().isPresent()));
    if (config.security() == SmtpConfig.Security.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (config.security() != SmtpConfig.Security.NONE) {
      p.put("mail." + proto + ".ssl.checkserveridentity", "true");
    }
    this.session = Session.getInstance(p);
  }

  /** Sends one invitation to {@code recipients} (Bcc). */
  public void send(List<String> recipients, String subject, String body, CalendarEvent event)
      throws MailException {
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(config.from(), true));
      for (String r : recipients) {
        m.addRecipient(Message.RecipientType.BCC, new InternetAddress(r, true));
      }
      m.setSubject(subject, StandardCharsets.UTF_8.name());
      MimeBodyPart text = new MimeBodyPart();
      text.setText(body, StandardCharsets.UTF_8.name());
      MimeBodyPart ics = new MimeBodyPart();
      ics.setDataHandler(
          new DataHandler(
              new ByteArrayDataSource(
                  event.toIcs().getBytes(StandardCharsets.UTF_8),
                  "text/calendar; charset=UTF-8; method=PUBLISH")));
      ics.setFileName("invite.ics");
      m.setContent(new MimeMultipart(text, ics));
      m.saveChanges();
      Transport.send(m, config.username().orElse(null), config.password().orElse(null));
    } catch (AddressException e) {
      throw new MailException("bad address: " + e.getRef(), e);
    } catch (MessagingException e) {
      throw new MailException("SMTP failed: " + e.getMessage(), e);
    }
  }
}
