import type { Policy } from '../../domain/policy/schema.js';
import { renderMarkdownLine } from '../../formats/markdown/render-markdown.js';
import { businessDayNote, contactLines, promiseLines, securityMdWords } from '../../formats/security-md/render-security-md.js';
import type { UiLanguage } from '../i18n/languages.js';
import { publicWords } from '../i18n/public.js';
import { Layout } from './layout.js';

export interface PublicPageProps {
  policy: Policy;
  lang: UiLanguage;
  offered: readonly UiLanguage[];
  baseUrl: string;
}

/** SECURITY.md in the visitor's language, when the policy offers more than one. */
export const securityMdHref = (lang: UiLanguage, offered: readonly UiLanguage[]): string => (offered.length > 1 ? `/SECURITY.md?lang=${lang}` : '/SECURITY.md');

/** The front door: what a visitor came for (how to report, what we promise) before the fine print. */
export function HomePage({ policy: p, lang, offered, baseUrl }: PublicPageProps) {
  const w = publicWords[lang];
  const md = securityMdWords(lang);
  const contacts = contactLines(p, { lang, baseUrl });
  const promises = promiseLines(p, { lang });
  const calendar = businessDayNote(p, { lang });
  // An encrypted e-mail channel already names the desk's key; say it once.
  const keyNotShown = !p.contacts.some((c) => c.type === 'email' && c.encryption?.fingerprint === p.openpgp?.fingerprint);
  return (
    <Layout title={w.homeTitle(p.project.name)} lang={lang} projectName={p.project.name} languages={{ offered, path: '/' }}>
      <section class="card">
        <h1>{w.homeTitle(p.project.name)}</h1>
        {p.project.description && <p>{p.project.description}</p>}
        <p>{w.homeLead}</p>
        <p class="actions">
          <a class="button" href="/report">
            {w.reportButton}
          </a>
          <a class="button secondary" href="/policy">
            {w.readPolicy}
          </a>
        </p>
        <p class="hint">{w.formHint}</p>
      </section>

      <div class="grid-2">
        <section class="card" aria-labelledby="ways">
          <h2 id="ways">{w.waysToReport}</h2>
          <ul>
            {contacts.map((line) => (
              <li>{renderMarkdownLine(line)}</li>
            ))}
          </ul>
          {keyNotShown && p.openpgp && <p>{renderMarkdownLine(md.openpgpKey(p.openpgp.keyUrl, p.openpgp.fingerprint))}</p>}
          <p class="hint">{md.readLanguages(p.languages)}</p>
        </section>

        {promises.length > 0 && (
          <section class="card" aria-labelledby="promises">
            <h2 id="promises">{w.promises}</h2>
            <ul>
              {promises.map((line) => (
                <li>{renderMarkdownLine(line)}</li>
              ))}
            </ul>
            {calendar && <p class="hint">{renderMarkdownLine(calendar)}</p>}
          </section>
        )}
      </div>

      <section class="card" aria-labelledby="scope">
        <h2 id="scope">{w.scope}</h2>
        <div class="grid-2">
          <div>
            <h3>{w.inScope}</h3>
            <ul>
              {p.scope.inScope.map((area) => (
                <li>{renderMarkdownLine(area)}</li>
              ))}
            </ul>
          </div>
          {p.scope.outOfScope.length > 0 && (
            <div>
              <h3>{w.outOfScope}</h3>
              <ul>
                {p.scope.outOfScope.map((o) => (
                  <li>{renderMarkdownLine(md.outOfScope(o.area, o.upstream))}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </section>

      <section class="card" aria-labelledby="files">
        <h2 id="files">{w.files}</h2>
        <ul>
          <li>
            <a href="/policy">{w.policyPage}</a>
          </li>
          <li>
            <a href="/.well-known/security.txt">{w.securityTxt}</a>
          </li>
          <li>
            <a href={securityMdHref(lang, offered)}>{w.securityMd}</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}
