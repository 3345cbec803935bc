import { useI18n } from '../i18n/i18n';
import { Link } from './router';
import '../styles/footer.css';

/**
 * The links every page carries: the accessibility statement (its wording, "Accessibilité :
 * partiellement conforme", is the one RGAA asks for) and the connection test. Hidden while a
 * meeting fills the screen (see base.css).
 */
export function Footer() {
  const { t } = useI18n();
  return (
    <footer className="app-footer">
      <nav aria-label={t('footer.label')}>
        <ul>
          <li>
            <Link to="/accessibility" data-testid="footer-accessibility">
              {t('footer.accessibility')}
            </Link>
          </li>
          <li>
            <Link to="/connection-test" data-testid="footer-connection-test">
              {t('footer.connectionTest')}
            </Link>
          </li>
        </ul>
      </nav>
    </footer>
  );
}
