import type { Policy } from '../../domain/policy/schema.js';
import { advisoryWords } from '../i18n/advisories.js';
import type { UiLanguage } from '../i18n/languages.js';
import { subscriptionWords } from '../i18n/subscriptions.js';
import { Layout } from './layout.js';

const LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', de: 'Deutsch' };

interface Base {
  policy: Policy;
  lang: UiLanguage;
}

export interface SubscribePageProps extends Base {
  offered: readonly UiLanguage[];
  csrf: string;
  /** Mail is configured: otherwise the page says that it is not offered. */
  mailOffered: boolean;
  values?: { email?: string; language?: string };
  emailProblem?: boolean;
}

/** /advisories/subscribe: an address and a language; the answer is the same for every address. */
export function SubscribePage(p: SubscribePageProps) {
  const a = advisoryWords[p.lang];
  const w = subscriptionWords[p.lang];
  const chosen = p.values?.language ?? p.lang;
  return (
    <Layout title={a.subscribeTitle} lang={p.lang} projectName={p.policy.project.name} languages={{ offered: p.offered, path: '/advisories/subscribe' }}>
      <section class="card">
        <h1>{a.subscribeTitle}</h1>
        {!p.mailOffered ? (
          <>
            <p class="notice info">{w.notOffered}</p>
            <p>
              <a href="/advisories.atom" type="application/atom+xml">
                {w.feedInstead}
              </a>
            </p>
          </>
        ) : (
          <form method="post" action="/advisories/subscribe" novalidate>
            <p>{a.subscribeLead}</p>
            <input type="hidden" name="_csrf" value={p.csrf} />
            <div class="field">
              <label for="email">{a.email}</label>
              <input
                type="email"
                id="email"
                name="email"
                required
                maxLength={254}
                autocomplete="email"
                value={p.values?.email ?? ''}
                aria-invalid={p.emailProblem ? 'true' : undefined}
                aria-describedby={p.emailProblem ? 'email-problem' : undefined}
              />
              {p.emailProblem && (
                <p class="notice bad small" id="email-problem">
                  {w.emailProblem}
                </p>
              )}
            </div>
            {p.offered.length > 1 ? (
              <div class="field">
                <label for="language">{w.language}</label>
                <select id="language" name="language">
                  {p.offered.map((l) => (
                    <option value={l} selected={chosen === l}>
                      {LANGUAGE_NAMES[l]}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <input type="hidden" name="language" value={p.offered[0] ?? 'en'} />
            )}
            <div class="actions">
              <button type="submit">{a.subscribe}</button>
            </div>
          </form>
        )}
      </section>
    </Layout>
  );
}

export interface MessagePageProps extends Base {
  title: string;
  text: string[];
  level?: 'ok' | 'info' | 'bad';
}

/** An answer in words: the mail is on its way, subscribed, unsubscribed, a link that does not work. */
export function SubscriptionMessagePage(p: MessagePageProps) {
  const w = subscriptionWords[p.lang];
  return (
    <Layout title={p.title} lang={p.lang} projectName={p.policy.project.name}>
      <section class="card">
        <h1>{p.title}</h1>
        {p.text.map((t, i) => (
          <p class={i === 0 && p.level ? `notice ${p.level}` : undefined} role={i === 0 ? 'status' : undefined}>
            {t}
          </p>
        ))}
        <p>
          <a href="/advisories">{w.toAdvisories}</a>
        </p>
      </section>
    </Layout>
  );
}

export interface ButtonPageProps extends Base {
  title: string;
  lead: string;
  button: string;
  action: string;
  /** Confirming takes the page's CSRF token; one-click unsubscribe works without (the link is the authority). */
  csrf?: string;
}

/** The page a link in a mail opens: a button, so that a mail scanner that follows the link changes nothing. */
export function SubscriptionButtonPage(p: ButtonPageProps) {
  return (
    <Layout title={p.title} lang={p.lang} projectName={p.policy.project.name}>
      <section class="card">
        <h1>{p.title}</h1>
        <form method="post" action={p.action}>
          <p>{p.lead}</p>
          {p.csrf !== undefined && <input type="hidden" name="_csrf" value={p.csrf} />}
          <div class="actions">
            <button type="submit">{p.button}</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

/** The card on /advisories that leads to the subscription form (when mail is configured). */
export function SubscribeCard({ lang }: { lang: UiLanguage }) {
  const a = advisoryWords[lang];
  return (
    <section class="card" aria-labelledby="subscribe-title">
      <h2 id="subscribe-title">{a.subscribeTitle}</h2>
      <p>{a.subscribeLead}</p>
      <p>
        <a href="/advisories/subscribe">{a.subscribe}</a>
      </p>
    </section>
  );
}
