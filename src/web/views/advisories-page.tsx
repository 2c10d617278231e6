import type { ComponentChildren } from 'preact';
import type { PublishedAdvisory } from '../../app/advisories/public-advisories.js';
import { severityWord } from '../../domain/advisories/view.js';
import type { Policy } from '../../domain/policy/schema.js';
import { advisoryArticle } from '../../formats/advisory-html.js';
import type { ProviderDocument } from '../../formats/csaf-provider.js';
import { csafDocumentUrl } from '../../formats/csaf.js';
import { advisoryWords } from '../i18n/advisories.js';
import type { UiLanguage } from '../i18n/languages.js';
import { Layout } from './layout.js';

export interface AdvisoryPageBase {
  policy: Policy;
  lang: UiLanguage;
  offered: readonly UiLanguage[];
  path: string;
}

const day = (iso: string) => iso.slice(0, 10);

function SeverityBadge({ a }: { a: PublishedAdvisory }) {
  const s = a.view.severity;
  if (s === 'none') return null;
  return <span class={`badge sev-${s}`}>{severityWord(s)}</span>;
}

export interface AdvisoriesPageProps extends AdvisoryPageBase {
  advisories: PublishedAdvisory[];
  /** The subscription form, when announcements by mail are offered. */
  subscribe?: ComponentChildren;
}

/** /advisories: every published advisory, newest first, and the feeds. */
export function AdvisoriesPage({ policy, lang, offered, path, advisories, subscribe }: AdvisoriesPageProps) {
  const w = advisoryWords[lang];
  return (
    <Layout title={w.title} lang={lang} projectName={policy.project.name} languages={{ offered, path }}>
      <section class="card">
        <h1>{w.title}</h1>
        <p>{w.lead}</p>
        {advisories.length === 0 ? (
          <p class="notice info">{w.none}</p>
        ) : (
          <ul>
            {advisories.map((a) => (
              <li lang={a.advisory.lang}>
                <p>
                  <SeverityBadge a={a} /> <a href={`/advisories/${a.ident}`}>{a.advisory.title}</a>
                  {a.state === 'withdrawn' && (
                    <>
                      {' '}
                      <span class="badge" lang={lang}>
                        {w.withdrawn}
                      </span>
                    </>
                  )}
                </p>
                <p class="small muted">
                  <code>{a.ident}</code>
                  {a.advisory.aliases.length > 0 && ` · ${a.advisory.aliases.join(', ')}`} · <span lang={lang}>{w.published}</span> <time dateTime={a.view.initialRelease}>{day(a.view.initialRelease)}</time>
                  {a.view.currentRelease !== a.view.initialRelease && (
                    <>
                      {' '}
                      · <span lang={lang}>{w.updated}</span> <time dateTime={a.view.currentRelease}>{day(a.view.currentRelease)}</time>
                    </>
                  )}
                </p>
                <p>{a.advisory.summary}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="feeds-title">
        <h2 id="feeds-title">{w.feeds}</h2>
        <ul>
          <li>
            <a href="/advisories.atom" type="application/atom+xml">
              {w.atom}
            </a>
          </li>
          <li>
            <a href="/.well-known/csaf/provider-metadata.json">{w.csaf}</a>
          </li>
        </ul>
        <p class="hint">{w.osvNote}</p>
      </section>
      {subscribe}
    </Layout>
  );
}

export interface AdvisoryPageProps extends AdvisoryPageBase {
  advisory: PublishedAdvisory;
  /** The provider's address (null without one) and the advisory's CSAF documents there: its own, then a VEX per upstream vulnerability. */
  providerUrl: string | null;
  csafDocuments: readonly ProviderDocument[];
}

/** /advisories/<ident>: the advisory as the HTML renderer writes it, with links to its other forms. */
export function AdvisoryPage({ policy, lang, offered, path, advisory: a, providerUrl, csafDocuments }: AdvisoryPageProps) {
  const w = advisoryWords[lang];
  const csafLink = (d: ProviderDocument) => new URL(csafDocumentUrl(providerUrl ?? '', d.trackingId, d.initialRelease)).pathname;
  const label = (d: ProviderDocument) => (d.trackingId === a.advisory.id ? w.csafDocument : w.csafVex(d.trackingId.slice(a.advisory.id.length + 1)));
  return (
    <Layout title={`${a.ident}: ${a.advisory.title}`} lang={lang} projectName={policy.project.name} languages={{ offered, path }}>
      <div class="card advisory">{advisoryArticle(a.view)}</div>
      <aside class="card" aria-labelledby="formats-title">
        <h2 id="formats-title">{w.alsoAs}</h2>
        <ul>
          <li>
            <a href={`/advisories/${a.ident}.json`} type="application/json">
              {w.json}
            </a>
          </li>
          <li>
            <a href={`/advisories/${a.ident}.osv.json`} type="application/json">
              {w.osv}
            </a>
          </li>
          {providerUrl &&
            csafDocuments.map((d) => (
              <li>
                <a href={csafLink(d)} type="application/json">
                  {label(d)}
                </a>
              </li>
            ))}
        </ul>
        <p>
          <a href="/advisories">{w.allAdvisories}</a>
        </p>
      </aside>
    </Layout>
  );
}
