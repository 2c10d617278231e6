import type { ComponentChildren } from 'preact';
import type { Config } from '../../config.js';
import { ALLOWED_ATTACHMENTS, allowedAttachmentsText, formatBytes } from '../../domain/reports/attachment-rules.js';
import { REPORT_LIMITS } from '../../domain/reports/report-input.js';
import type { Policy } from '../../domain/policy/schema.js';
import { NEXT_WINDOW } from '../../domain/policy/schema-sla.js';
import type { UiLanguage } from '../i18n/languages.js';
import { durationWords, problemWords, reportWords, type ReportWords } from '../i18n/report.js';
import { sealedWords } from '../i18n/sealed.js';
import { Layout } from './layout.js';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ReportFormProps {
  policy: Policy;
  lang: UiLanguage;
  offered: readonly UiLanguage[];
  csrf: string;
  limits: Config['limits'];
  /** What the reporter typed, kept when the form comes back with problems. */
  values: Record<string, string>;
  problems: FieldProblem[];
  /** Whether the rejected post carried files (they cannot be kept). */
  hadFiles?: boolean;
  /** When the desk has the policy's key: the reporter's browser may encrypt the report to it (assets/encrypt-report.js). */
  encryption?: { fingerprint: string; keyPath: string; openpgpPath: string } | null;
}

const LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', de: 'Deutsch' };

export function ReportFormPage(p: ReportFormProps) {
  const w = reportWords[p.lang];
  const v = p.values;
  const problemsOf = (field: string) => p.problems.filter((x) => x.field === field || x.field.startsWith(`${field}.`));
  const field = (name: string, label: string, control: (describedBy: string, invalid: boolean) => ComponentChildren, hint?: string, required = false) => {
    const errs = problemsOf(name);
    const ids = [hint ? `${name}-hint` : '', errs.length ? `${name}-problem` : ''].filter(Boolean).join(' ');
    return (
      <div class="field">
        <label for={name}>
          {label} {required ? <span class="muted small">({w.required})</span> : null}
          {hint && (
            <span class="hint" id={`${name}-hint`}>
              {hint}
            </span>
          )}
        </label>
        {control(ids, errs.length > 0)}
        {errs.length > 0 && (
          <p class="notice bad small" id={`${name}-problem`}>
            {errs.map((e) => problemWords(e.message, p.lang)).join('; ')}
          </p>
        )}
      </div>
    );
  };
  const text = (name: string, max: number, required = false, type: 'text' | 'email' = 'text') => (d: string, invalid: boolean) => {
    const attrs = { id: name, name, value: v[name] ?? '', maxLength: max, required, 'aria-describedby': d || undefined, 'aria-invalid': invalid ? ('true' as const) : undefined };
    return type === 'email' ? <input type="email" {...attrs} /> : <input type="text" {...attrs} />;
  };
  const area = (name: string, max: number, required = false) => (d: string, invalid: boolean) => (
    <textarea id={name} name={name} maxLength={max} required={required} aria-describedby={d || undefined} aria-invalid={invalid ? 'true' : undefined}>
      {v[name] ?? ''}
    </textarea>
  );
  const images = p.policy.project.images;
  const creditWish = v.credit === 'name' ? 'name' : 'none';
  const accept = ALLOWED_ATTACHMENTS.flatMap((a) => a.extensions.map((e) => `.${e}`)).join(',');
  const anonymous = p.policy.reporting.allowAnonymous;
  return (
    <Layout title={w.title} lang={p.lang} projectName={p.policy.project.name} languages={{ offered: p.offered, path: '/report' }}>
      <h1>{w.title}</h1>
      <p class="muted">{w.lead(p.policy.project.name)}</p>
      <div class="grid-2">
        <form class="card" method="post" action={`/report?lang=${p.lang}`} enctype="multipart/form-data" novalidate>
          {p.problems.length > 0 && (
            <div class="notice bad" role="alert">
              <strong>{w.problems}</strong>
              <ul>
                {p.problems.map((x) => (
                  <li>
                    <a href={`#${anchorOf(x.field)}`}>{labelOf(x.field, w, p.lang)}</a>: {problemWords(x.message, p.lang)}
                  </li>
                ))}
              </ul>
              {p.hadFiles && <p class="small">{w.reattach}</p>}
            </div>
          )}
          <input type="hidden" name="_csrf" value={p.csrf} />
          {field('title', w.fieldTitle, text('title', REPORT_LIMITS.title, true), w.fieldTitleHint, true)}
          <div class="grid-2">
            {field('image', w.fieldImage, (d) =>
              images.length > 0 ? (
                <select id="image" name="image" aria-describedby={d || undefined}>
                  <option value="">{w.fieldImageNone}</option>
                  {images.map((i) => (
                    <option value={i.name} selected={v.image === i.name}>
                      {i.name}
                    </option>
                  ))}
                </select>
              ) : (
                text('image', REPORT_LIMITS.image)(d, false)
              ),
            )}
            {field('tag', w.fieldTag, text('tag', REPORT_LIMITS.tag), w.fieldTagHint)}
          </div>
          {field('description', w.fieldDescription, area('description', REPORT_LIMITS.description, true), w.fieldDescriptionHint, true)}
          {field('steps', w.fieldSteps, area('steps', REPORT_LIMITS.steps))}
          {field('impact', w.fieldImpact, area('impact', REPORT_LIMITS.impact), w.fieldImpactHint)}
          {field('cvss', w.fieldCvss, text('cvss', 300), w.fieldCvssHint)}
          {field(
            'attachments',
            w.fieldAttachments,
            (d) => <input type="file" id="attachments" name="attachments" multiple accept={accept} aria-describedby={d || undefined} />,
            w.fieldAttachmentsHint(allowedAttachmentsText(), formatBytes(p.limits.attachmentBytes), p.limits.attachmentsPerReport),
          )}
          <fieldset>
            <legend>{w.aboutYou}</legend>
            <p class="hint">{anonymous ? w.emailHint : w.emailRequiredHint}</p>
            <div class="grid-2">
              {field('reporterName', `${w.fieldName} (${w.optional})`, text('reporterName', REPORT_LIMITS.name))}
              {field('reporterEmail', anonymous ? `${w.fieldEmail} (${w.optional})` : w.fieldEmail, text('reporterEmail', REPORT_LIMITS.email, !anonymous, 'email'), undefined, !anonymous)}
            </div>
          </fieldset>
          {p.policy.credit.offered && (
            <fieldset id="credit">
              <legend>{w.credit}</legend>
              <label class="choice">
                <input type="radio" name="credit" value="name" checked={creditWish === 'name'} /> {w.creditName}
              </label>
              <div class="field">
                <input type="text" id="creditName" name="creditName" aria-label={w.creditName} value={v.creditName ?? ''} maxLength={REPORT_LIMITS.name} aria-invalid={problemsOf('creditName').length ? 'true' : undefined} />
                {problemsOf('creditName').length > 0 && <p class="notice bad small">{problemsOf('creditName').map((e) => problemWords(e.message, p.lang)).join('; ')}</p>}
              </div>
              <label class="choice">
                <input type="radio" name="credit" value="none" checked={creditWish === 'none'} /> {w.creditNone}
              </label>
              <p class="hint">{w.creditHint}</p>
              {problemsOf('credit')
                .filter((x) => x.field === 'credit')
                .map((x) => (
                  <p class="notice bad small">{problemWords(x.message, p.lang)}</p>
                ))}
            </fieldset>
          )}
          {p.offered.length > 1 ? (
            field('language', w.fieldLanguage, () => (
              <select id="language" name="language">
                {p.offered.map((l) => (
                  <option value={l} selected={(v.language ?? p.lang) === l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            ))
          ) : (
            <input type="hidden" name="language" value={p.offered[0] ?? 'en'} />
          )}
          {p.encryption && <EncryptChoice lang={p.lang} encryption={p.encryption} />}
          <div class="actions">
            <button type="submit">{w.submit}</button>
          </div>
        </form>
        {p.encryption && <script type="module" src="/assets/encrypt-report.js" />}
        <ReportAside policy={p.policy} w={w} lang={p.lang} />
      </div>
    </Layout>
  );
}

/** Hidden in the HTML: the script reveals (and checks) it, so without JavaScript the form is as it always was. */
function EncryptChoice({ lang, encryption }: { lang: UiLanguage; encryption: NonNullable<ReportFormProps['encryption']> }) {
  const s = sealedWords[lang];
  return (
    <fieldset
      id="encrypt-choice"
      hidden
      data-key={encryption.keyPath}
      data-fingerprint={encryption.fingerprint}
      data-openpgp={encryption.openpgpPath}
      data-working={s.scriptWorking}
      data-failed={s.scriptFailed}
      data-unavailable={s.scriptUnavailable}
      data-send-failed={s.scriptSendFailed}
    >
      <legend>{s.legend}</legend>
      <label class="choice">
        <input type="checkbox" id="encrypt-toggle" aria-describedby="encrypt-hint encrypt-clear" /> {s.toggle}
      </label>
      <p class="hint" id="encrypt-hint">
        {s.hint(encryption.fingerprint)}
      </p>
      <p class="hint" id="encrypt-clear">
        {s.clear}
      </p>
      <p class="small" id="encrypt-status" role="status" aria-live="polite" />
    </fieldset>
  );
}

function ReportAside({ policy, w, lang }: { policy: Policy; w: ReportWords; lang: UiLanguage }) {
  const sla = policy.sla;
  const d = (s: (typeof sla)['acknowledge']) => (s && s.target !== NEXT_WINDOW ? durationWords(s.target, lang) : null);
  const ack = d(sla.acknowledge);
  const triage = d(sla.triage);
  const fix = d(sla.fix);
  const encrypted = policy.contacts.find((c) => c.type === 'email' && c.encryption);
  return (
    <aside>
      <section class="card">
        <h2>{w.asideScope}</h2>
        <h3>{w.inScope}</h3>
        <ul>
          {policy.scope.inScope.map((a) => (
            <li>{a}</li>
          ))}
        </ul>
        {policy.scope.outOfScope.length > 0 && (
          <>
            <h3>{w.outOfScope}</h3>
            <ul>
              {policy.scope.outOfScope.map((o) => (
                <li>
                  {o.area}
                  {o.upstream && (
                    <>
                      {' '}
                      — {w.reportTo}{' '}
                      <a href={o.upstream.contact} rel="noreferrer">
                        {o.upstream.name}
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {(ack || triage || fix) && (
        <section class="card">
          <h2>{w.asidePromise}</h2>
          <ul>
            {ack && <li>{w.promiseAck(ack)}</li>}
            {triage && <li>{w.promiseTriage(triage)}</li>}
            {fix && <li>{sla.fix?.from === 'triaged' ? w.promiseFixAfterTriage(fix) : w.promiseFix(fix)}</li>}
          </ul>
          {sla.commitment === 'best-effort' && <p class="hint">{w.bestEffort}</p>}
        </section>
      )}
      {policy.reporting.guidelines.length > 0 && (
        <section class="card">
          <h2>{w.asideGuidelines}</h2>
          <ul>
            {policy.reporting.guidelines.map((g) => (
              <li>{g}</li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h2>{w.asidePrivacy}</h2>
        <p>{w.privacyText}</p>
        {encrypted && encrypted.type === 'email' && encrypted.encryption && (
          <p class="small">
            {w.encrypted(encrypted.address)}{' '}
            <a href={encrypted.encryption.keyUrl} rel="noreferrer">
              <code>{encrypted.encryption.fingerprint}</code>
            </a>
          </p>
        )}
      </section>
    </aside>
  );
}

/** Problems name schema paths; the page links them to the form's controls. */
const anchorOf = (field: string) => (field === 'credit.name' ? 'creditName' : field.split('.')[0] || 'title');

function labelOf(field: string, w: ReportWords, lang: UiLanguage): string {
  const labels: Record<string, string> = {
    title: w.fieldTitle,
    image: w.fieldImage,
    tag: w.fieldTag,
    description: w.fieldDescription,
    steps: w.fieldSteps,
    impact: w.fieldImpact,
    cvss: w.fieldCvss,
    attachments: w.fieldAttachments,
    reporterName: w.fieldName,
    reporterEmail: w.fieldEmail,
    credit: w.credit,
    'credit.name': w.creditName,
    creditName: w.creditName,
    language: w.fieldLanguage,
    encrypted: sealedWords[lang].field,
  };
  return labels[field] ?? field;
}
