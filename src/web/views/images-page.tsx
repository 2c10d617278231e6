import type { TagReport } from '../../app/images/tag-status.js';
import type { Policy } from '../../domain/policy/schema.js';
import { formatInstant } from '../format.js';
import { imageWords, type ImageWords } from '../i18n/images.js';
import type { UiLanguage } from '../i18n/languages.js';
import { Layout } from './layout.js';

export interface ImagePageBase {
  policy: Policy;
  lang: UiLanguage;
  offered: readonly UiLanguage[];
  /** The page's own path (with its query), for the language switch. */
  path: string;
}

interface TagFormProps {
  w: ImageWords;
  images: readonly string[];
  repository?: string | undefined;
  tag?: string | undefined;
  /** Shown above the fields, e.g. "no such tag". */
  problem?: string | undefined;
  /** The form's own heading; null where the page's h1 (id tag-form-title) says it already. */
  heading: string | null;
}

/** A GET form: reading a status changes nothing, so it needs no CSRF token and its answer has an address. */
function TagForm({ w, images, repository, tag, problem, heading }: TagFormProps) {
  if (images.length === 0) return <p class="notice info">{w.noImages}</p>;
  return (
    <>
      {heading !== null && <h2 id="tag-form-title">{heading}</h2>}
      {problem && (
        <p class="notice bad" role="alert">
          {problem}
        </p>
      )}
      <form method="get" action="/images" aria-labelledby="tag-form-title">
        <div class="field">
          <label for="repository">{w.repository}</label>
          <select id="repository" name="repository">
            {images.map((name) => (
              <option value={name} selected={name === repository}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="tag">
            {w.tag}
            <span class="hint" id="tag-hint">
              {w.tagHint}
            </span>
          </label>
          <input type="text" id="tag" name="tag" value={tag ?? ''} required maxLength={128} autocomplete="off" spellcheck={false} aria-describedby="tag-hint" />
        </div>
        <button type="submit">{w.check}</button>
      </form>
    </>
  );
}

export interface ImagesPageProps extends ImagePageBase {
  repository?: string | undefined;
  tag?: string | undefined;
  problem?: string | undefined;
}

/** /images: pick an image, enter a tag. */
export function ImagesPage({ policy, lang, offered, path, repository, tag, problem }: ImagesPageProps) {
  const w = imageWords[lang];
  const images = policy.project.images.map((i) => i.name);
  return (
    <Layout title={w.title} lang={lang} projectName={policy.project.name} languages={{ offered, path }}>
      <section class="card narrow">
        <h1 id="tag-form-title">{w.title}</h1>
        <p>{w.lead}</p>
        <TagForm w={w} images={images} repository={repository} tag={tag} problem={problem} heading={null} />
      </section>
    </Layout>
  );
}

export interface TagStatusPageProps extends ImagePageBase {
  repository: string;
  report: TagReport;
  /** When the inventory last read the repository from its registry successfully. */
  asOf: Date | null;
  apiPath: string;
}

function moveSentence(w: ImageWords, r: TagReport): string {
  if (r.moveTo === null) return w.nothingToMoveTo;
  if (r.moveTo === r.tag) return w.newest;
  if (r.kind === 'rolling' && r.moveTo === r.pointsTo) return w.pointsToNewest(r.moveTo);
  return w.moveTo(r.moveTo);
}

/** /images/<repository>/tags/<tag>: the answer in plain words, then the facts behind it. */
export function TagStatusPage({ policy, lang, offered, path, repository, report: r, asOf, apiPath }: TagStatusPageProps) {
  const w = imageWords[lang];
  const images = policy.project.images.map((i) => i.name);
  const ok = r.receivesAdvisories && r.advisories.length === 0;
  return (
    <Layout title={`${repository}:${r.tag}`} lang={lang} projectName={policy.project.name} languages={{ offered, path }}>
      <section class="card">
        <h1>
          <code>
            {repository}:{r.tag}
          </code>
        </h1>
        <div class={`notice ${ok ? 'ok' : r.receivesAdvisories ? 'warn' : 'bad'}`}>
          <p>
            <strong>{r.receivesAdvisories ? w.receives : w.notReceives}</strong> {moveSentence(w, r)}
          </p>
        </div>
        <dl class="facts">
          <dt>{w.why}</dt>
          {/* the support rule explains itself in English only */}
          <dd lang="en">{r.reason}</dd>
          <dt>{w.kind}</dt>
          <dd>
            {w.kinds[r.kind]}
            {r.version ? ` · ${r.version}` : ''}
            {r.variant ? ` · ${r.variant}` : ''}
          </dd>
          {r.kind === 'rolling' && (
            <>
              <dt>{w.pointsTo}</dt>
              <dd>
                {r.pointsTo ? (
                  <>
                    <a href={`/images/${repository}/tags/${r.pointsTo}`}>{r.pointsTo}</a> {r.pointsToBy ? `(${w.pointsToBy[r.pointsToBy]})` : ''}
                  </>
                ) : (
                  w.pointsNowhere
                )}
              </dd>
            </>
          )}
          {r.moveTo !== null && r.moveTo !== r.tag && (
            <>
              <dt>{w.moveToLabel}</dt>
              <dd>
                <a href={`/images/${repository}/tags/${r.moveTo}`}>
                  <code>{r.moveTo}</code>
                </a>
              </dd>
            </>
          )}
          <dt>{w.digest}</dt>
          <dd>
            <code>{r.digest ?? '—'}</code>
          </dd>
          <dt>{w.advisories}</dt>
          <dd>
            {r.advisories.length === 0 ? (
              w.noAdvisories
            ) : (
              <ul>
                {r.advisories.map((a) => (
                  <li>
                    {a.severity && <span class={`badge sev-${a.severity}`}>{a.severity}</span>} {a.url && /^(https:\/\/|\/(?!\/))/.test(a.url) ? <a href={a.url}>{a.id}</a> : a.id}: {a.title}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{w.inventoryAsOf}</dt>
          <dd>{asOf ? formatInstant(asOf, policy.calendar.timeZone, lang) : w.neverSynced}</dd>
        </dl>
        <p class="hint">
          {w.apiHint} <a href={apiPath}>{apiPath}</a>
        </p>
      </section>
      <section class="card">
        <TagForm w={w} images={images} repository={repository} heading={w.checkAnother} />
      </section>
    </Layout>
  );
}
