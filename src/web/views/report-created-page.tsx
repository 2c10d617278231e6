import type { Policy } from '../../domain/policy/schema.js';
import type { UiLanguage } from '../i18n/languages.js';
import { reportWords } from '../i18n/report.js';
import { Layout } from './layout.js';

/** The one page that shows a report's tracking link; it is sent with Cache-Control: no-store. */
export function ReportCreatedPage({ policy, lang, number, link }: { policy: Policy; lang: UiLanguage; number: number; link: string }) {
  const w = reportWords[lang];
  return (
    <Layout title={w.createdTitle} lang={lang} projectName={policy.project.name}>
      <section class="card narrow">
        <p class="muted">{w.createdNumber(number)}</p>
        <h1>{w.createdTitle}</h1>
        <div class="notice warn">
          <p>{w.createdKeep}</p>
        </div>
        <code class="secret" id="tracking-link">
          {link}
        </code>
        <p class="actions">
          <button type="button" class="secondary" data-copy="tracking-link" data-copied={w.createdCopied}>
            {w.createdCopy}
          </button>
          <a class="button" href={link} rel="noreferrer">
            {w.createdOpen}
          </a>
        </p>
        <p>{w.createdNext}</p>
      </section>
    </Layout>
  );
}
