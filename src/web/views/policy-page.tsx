import { parseMarkdown, plainText } from '../../formats/markdown/parse-markdown.js';
import { renderBlocks } from '../../formats/markdown/render-markdown.js';
import { renderSecurityMd } from '../../formats/security-md/render-security-md.js';
import { publicWords } from '../i18n/public.js';
import { securityMdHref, type PublicPageProps } from './home-page.js';
import { Layout } from './layout.js';

/** The security policy as a page: the very SECURITY.md the desk serves, rendered, with a table of contents. */
export function PolicyPage({ policy, lang, offered, baseUrl }: PublicPageProps) {
  const w = publicWords[lang];
  const blocks = parseMarkdown(renderSecurityMd(policy, { lang, baseUrl }));
  const sections = blocks.flatMap((b) => (b.type === 'heading' && b.level === 2 ? [{ id: b.id, text: plainText(b.children) }] : []));
  return (
    <Layout title={w.policyTitle} lang={lang} projectName={policy.project.name} languages={{ offered, path: '/policy' }}>
      <div class="grid-2">
        <article class="card policy">{renderBlocks(blocks)}</article>
        <aside class="card" aria-labelledby="policy-toc">
          <p>
            <a class="button" href="/report">
              {w.reportButton}
            </a>
          </p>
          <h2 id="policy-toc">{w.onThisPage}</h2>
          <ul>
            {sections.map((s) => (
              <li>
                <a href={`#${s.id}`}>{s.text}</a>
              </li>
            ))}
          </ul>
          <p class="hint">
            {w.alsoAs} <a href={securityMdHref(lang, offered)}>SECURITY.md</a> · <a href="/.well-known/security.txt">security.txt</a>
          </p>
        </aside>
      </div>
    </Layout>
  );
}
