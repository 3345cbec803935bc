import { useEffect } from 'react';
import { Header } from '../app/Header';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';
import '../styles/accessibility.css';

/** Sections of the statement, in the order RGAA's model puts them. */
const SECTIONS: { title: MessageKey; paragraphs: MessageKey[]; list?: MessageKey[] }[] = [
  { title: 'a11y.statusTitle', paragraphs: ['a11y.status'] },
  { title: 'a11y.resultsTitle', paragraphs: ['a11y.results'] },
  { title: 'a11y.nonAccessibleTitle', paragraphs: ['a11y.nonAccessible'] },
  { title: 'a11y.standardsTitle', paragraphs: ['a11y.standards'] },
  { title: 'a11y.technologiesTitle', paragraphs: ['a11y.technologies'] },
  { title: 'a11y.contactTitle', paragraphs: ['a11y.contact'] },
  {
    title: 'a11y.remediesTitle',
    paragraphs: ['a11y.remedies'],
    list: ['a11y.remedy1', 'a11y.remedy2', 'a11y.remedy3'],
  },
];

/** "Déclaration d'accessibilité": the RGAA statement, linked from every page's footer. */
export default function AccessibilityPage() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('a11y.title') + ' · Visio';
  }, [t]);
  return (
    <>
      <Header />
      <main id="main" className="page narrow statement" data-testid="accessibility-statement">
        <h1>{t('a11y.title')}</h1>
        <p>{t('a11y.intro')}</p>
        {SECTIONS.map((s) => (
          <section key={s.title} aria-labelledby={s.title}>
            <h2 id={s.title}>{t(s.title)}</h2>
            {s.paragraphs.map((p) => (
              <p key={p} data-testid={p}>
                {t(p)}
              </p>
            ))}
            {s.list && (
              <ul>
                {s.list.map((item) => (
                  <li key={item}>{t(item)}</li>
                ))}
              </ul>
            )}
          </section>
        ))}
        <p className="note">{t('a11y.date')}</p>
      </main>
    </>
  );
}
