import type { RateLimitSurface } from '../../config.js';
import { rateLimitWords } from '../i18n/rate-limits.js';
import type { UiLanguage } from '../i18n/languages.js';
import { Layout } from './layout.js';

export interface RateLimitedPageProps {
  lang: UiLanguage;
  projectName: string;
  surface: RateLimitSurface;
  scope: 'address' | 'overall';
  retryAfterSeconds: number;
}

/** The 429 page: what was limited, for whom, and when to try again. */
export function RateLimitedPage(p: RateLimitedPageProps) {
  const w = rateLimitWords[p.lang];
  return (
    <Layout title={w.title} lang={p.lang} projectName={p.projectName}>
      <section class="card narrow">
        <h1>{w.title}</h1>
        <p>{w.what[p.surface][p.scope]}</p>
        <p>
          <strong>{w.retry(p.retryAfterSeconds)}</strong>
        </p>
        {(p.surface === 'submit' || p.surface === 'reply') && <p>{w.keepText}</p>}
        <p>
          <a href="/policy">{w.back}</a>
        </p>
      </section>
    </Layout>
  );
}
