import type { ComponentChildren } from 'preact';
import { advisoryWords } from '../i18n/advisories.js';
import { common } from '../i18n/common.js';
import { imageWords } from '../i18n/images.js';
import type { UiLanguage } from '../i18n/languages.js';

export interface LayoutProps {
  title: string;
  lang: UiLanguage;
  projectName: string;
  /** Languages to offer a switch to; the current page's path keeps its place. */
  languages?: { offered: readonly UiLanguage[]; path: string };
  /** Team pages show their own navigation instead of the public one. */
  nav?: ComponentChildren;
  children: ComponentChildren;
}

const LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', de: 'Deutsch' };

export function Layout({ title, lang, projectName, languages, nav, children }: LayoutProps) {
  const w = common[lang];
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${projectName}`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/app.css" />
        <script type="module" src="/assets/app.js" />
      </head>
      <body>
        <a class="skip" href="#main">
          {w.skip}
        </a>
        <header class="site-header">
          <div class="wrap">
            <a class="brand" href="/">
              <span class="brand-mark" aria-hidden="true">
                ◆
              </span>{' '}
              {projectName}
            </a>
            <nav aria-label="main">
              {nav ?? (
                <>
                  <a href="/policy">{w.policy}</a>
                  <a href="/report">{w.report}</a>
                  <a href="/images">{imageWords[lang].nav}</a>
                  <a href="/advisories">{advisoryWords[lang].nav}</a>
                </>
              )}
            </nav>
          </div>
        </header>
        <main id="main" class="wrap">
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <span>{w.poweredBy}</span>
            <span class="footer-links">
              <a href="/.well-known/security.txt">{w.securityTxt}</a>
              <a href="/SECURITY.md">{w.securityMd}</a>
              <a href="/team/login">{w.teamLogin}</a>
            </span>
            {languages && languages.offered.length > 1 && (
              <span class="lang-switch" aria-label={w.language}>
                {languages.offered.map((l) =>
                  l === lang ? (
                    <strong>{LANGUAGE_NAMES[l]}</strong>
                  ) : (
                    <a href={`${languages.path}${languages.path.includes('?') ? '&' : '?'}lang=${l}`} hreflang={l} lang={l}>
                      {LANGUAGE_NAMES[l]}
                    </a>
                  ),
                )}
              </span>
            )}
          </div>
        </footer>
      </body>
    </html>
  );
}
