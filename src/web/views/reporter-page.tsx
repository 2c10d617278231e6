import type { ReporterAttachment, ReporterView } from '../../app/reporter/view-as-reporter.js';
import type { Config } from '../../config.js';
import { ALLOWED_ATTACHMENTS, formatBytes } from '../../domain/reports/attachment-rules.js';
import type { Policy } from '../../domain/policy/schema.js';
import { REPORT_LIMITS } from '../../domain/reports/report-input.js';
import type { StageClock } from '../../domain/reports/sla-status.js';
import { REJECTION_REASONS, REPORT_STATES, type RejectionReason, type ReportState } from '../../domain/reports/states.js';
import type { UiLanguage } from '../i18n/languages.js';
import { problemWords } from '../i18n/report.js';
import { formatMoment, reporterWords, type ReporterWords } from '../i18n/reporter.js';
import type { FieldProblem } from './report-form-page.js';
import { Layout } from './layout.js';

export interface ReporterPageProps {
  view: ReporterView;
  policy: Policy;
  lang: UiLanguage;
  offered: readonly UiLanguage[];
  csrf: string;
  limits: Config['limits'];
  notice?: 'reply' | 'credit';
  problems?: FieldProblem[];
  /** The reply the reporter typed, kept when it comes back with problems. */
  draft?: string;
}

const STATE_BADGE: Record<ReportState, string> = {
  received: 'info',
  acknowledged: 'info',
  waiting_on_reporter: 'warn',
  accepted: 'info',
  rejected: '',
  fixing: 'info',
  fixed: 'ok',
  disclosed: 'ok',
};
const CLOCK_BADGE: Record<StageClock['status'], string> = { met: 'ok', missed: 'bad', running: 'info', due_soon: 'warn', overdue: 'bad', paused: 'info', not_applicable: '' };

const isState = (s: string): s is ReportState => (REPORT_STATES as readonly string[]).includes(s);
const isReason = (s: string | null | undefined): s is RejectionReason => (REJECTION_REASONS as readonly string[]).includes(s ?? '');

export function stateLabel(state: string, w: ReporterWords): [string, string] {
  return isState(state) ? w.states[state] : [state, ''];
}

export function clockWords(c: StageClock, w: ReporterWords, at: (d: Date) => string): string {
  const due = c.deadline ? at(c.deadline) : w.noDate;
  switch (c.status) {
    case 'met':
      return w.clock.met(c.reachedAt ? at(c.reachedAt) : due);
    case 'missed':
      return w.clock.missed(c.reachedAt ? at(c.reachedAt) : '', due);
    default:
      return w.clock[c.status](due);
  }
}

export function ReporterPage(p: ReporterPageProps) {
  const w = reporterWords[p.lang];
  const { report: r } = p.view;
  const at = (d: Date) => formatMoment(d, p.lang, p.policy.calendar.timeZone);
  const [label, description] = stateLabel(r.state, w);
  const q = `?lang=${p.lang}`;
  const files = (list: ReporterAttachment[]) =>
    list.length > 0 && (
      <ul class="small">
        {list.map((a) => (
          <li>
            <a href={`/report/attachments/${a.id}`}>{a.filename}</a> <span class="muted">({formatBytes(a.size)})</span>
          </li>
        ))}
      </ul>
    );
  const replyProblems = (p.problems ?? []).map((x) => problemWords(x.message, p.lang));
  return (
    <Layout title={w.pageTitle(r.number)} lang={p.lang} projectName={p.policy.project.name} languages={{ offered: p.offered, path: '/report/status' }}>
      <p class="muted">{w.pageTitle(r.number)}</p>
      <h1>{r.title}</h1>
      <section class="card">
        <p>
          <strong>{w.status}:</strong> <span class={`badge ${isState(r.state) ? STATE_BADGE[r.state] : ''}`}>{label}</span>
        </p>
        <p>{description}</p>
        {r.state === 'rejected' && isReason(r.rejectionReason) && <p>{w.reasons[r.rejectionReason]}</p>}
      </section>
      {p.notice && (
        <div class="notice ok" role="status">
          {p.notice === 'reply' ? w.sent : w.creditSaved}
        </div>
      )}
      <div class="grid-2">
        <div>
          <section class="card" id="conversation">
            <h2>{w.conversation}</h2>
            {p.view.messages.length === 0 && <p class="muted">{w.noMessages}</p>}
            {p.view.messages.map((m) => (
              <article class={`message ${m.by === 'reporter' ? 'reporter' : 'team'}`}>
                <header>
                  <strong>{w.author[m.by]}</strong>
                  <time datetime={m.at.toISOString()}>{at(m.at)}</time>
                </header>
                <div class="body">{m.body}</div>
                {files(m.attachments)}
              </article>
            ))}
            <form method="post" action={`/report/status/reply${q}`} enctype="multipart/form-data" id="reply">
              <h3>{w.replyTitle}</h3>
              <input type="hidden" name="_csrf" value={p.csrf} />
              <div class="field">
                <label for="body">{w.replyLabel}</label>
                <textarea id="body" name="body" maxLength={REPORT_LIMITS.message} required aria-invalid={replyProblems.length ? 'true' : undefined}>
                  {p.draft ?? ''}
                </textarea>
                {replyProblems.length > 0 && <p class="notice bad small">{replyProblems.join('; ')}</p>}
              </div>
              <div class="field">
                <label for="attachments">
                  {w.attach}
                  <span class="hint">{`${formatBytes(p.limits.attachmentBytes)} · ${ALLOWED_ATTACHMENTS.flatMap((a) => a.extensions.map((e) => `.${e}`)).join(' ')}`}</span>
                </label>
                <input type="file" id="attachments" name="attachments" multiple accept={ALLOWED_ATTACHMENTS.flatMap((a) => a.extensions.map((e) => `.${e}`)).join(',')} />
              </div>
              <button type="submit">{w.send}</button>
            </form>
          </section>
          <section class="card">
            <h2>{w.yourReport}</h2>
            <dl class="facts">
              <dt>{w.received}</dt>
              <dd>{at(r.receivedAt)}</dd>
              {r.image && (
                <>
                  <dt>{w.image}</dt>
                  <dd>
                    <code>{r.image}</code>
                  </dd>
                </>
              )}
              {r.tag && (
                <>
                  <dt>{w.tag}</dt>
                  <dd>
                    <code>{r.tag}</code>
                  </dd>
                </>
              )}
              {r.cvss && (
                <>
                  <dt>{w.cvss}</dt>
                  <dd>
                    <code>{r.cvss}</code>
                  </dd>
                </>
              )}
              <dt>{w.reportedBy}</dt>
              <dd>{[r.reporterName, r.reporterEmail].filter(Boolean).join(' · ') || w.anonymous}</dd>
            </dl>
            <h3>{w.description}</h3>
            {r.encrypted ? <p class="notice">{w.sentEncrypted}</p> : <div class="message"><div class="body">{r.description}</div></div>}
            {r.steps && (
              <>
                <h3>{w.steps}</h3>
                <div class="message"><div class="body">{r.steps}</div></div>
              </>
            )}
            {r.impact && (
              <>
                <h3>{w.impact}</h3>
                <div class="message"><div class="body">{r.impact}</div></div>
              </>
            )}
            {p.view.attachments.length > 0 && (
              <>
                <h3>{w.files}</h3>
                {files(p.view.attachments)}
              </>
            )}
          </section>
        </div>
        <ReporterAside {...p} w={w} at={at} q={q} />
      </div>
    </Layout>
  );
}

function ReporterAside(p: ReporterPageProps & { w: ReporterWords; at: (d: Date) => string; q: string }) {
  const { w, at, q } = p;
  const r = p.view.report;
  return (
    <aside>
      {p.view.clocks.length > 0 && (
        <section class="card">
          <h2>{w.deadlines}</h2>
          <ul class="clock-list">
            {p.view.clocks.map((c) => (
              <li>
                <span>{w.stages[c.stage]}</span>
                <span class={`badge ${CLOCK_BADGE[c.status]}`}>{clockWords(c, w, at)}</span>
              </li>
            ))}
          </ul>
          {p.policy.sla.commitment === 'best-effort' && <p class="hint">{w.bestEffort}</p>}
        </section>
      )}
      <section class="card">
        <h2>{w.timeline}</h2>
        <ol class="timeline">
          {p.view.timeline.map((e) => (
            <li>
              <strong>{eventWords(e, w)}</strong>
              <br />
              <span class="muted small">
                {at(e.at)} · {w.by[e.by]}
              </span>
            </li>
          ))}
        </ol>
      </section>
      {p.policy.credit.offered && (
        <section class="card">
          <h2>{w.creditTitle}</h2>
          <p>{w.creditNow(r.credit.wish === 'name' ? r.credit.name : null)}</p>
          <form method="post" action={`/report/status/credit${q}`} enctype="multipart/form-data">
            <input type="hidden" name="_csrf" value={p.csrf} />
            <label class="choice">
              <input type="radio" name="credit" value="name" checked={r.credit.wish === 'name'} /> {w.creditName}
            </label>
            <div class="field">
              <input type="text" id="creditName" name="creditName" aria-label={w.creditName} maxLength={REPORT_LIMITS.name} value={r.credit.wish === 'name' ? r.credit.name : (r.reporterName ?? '')} />
            </div>
            <label class="choice">
              <input type="radio" name="credit" value="none" checked={r.credit.wish === 'none'} /> {w.creditNone}
            </label>
            <button type="submit" class="secondary">
              {w.creditSave}
            </button>
          </form>
        </section>
      )}
      {p.policy.scope.outOfScope.some((a) => a.upstream) && (
        <section class="card">
          <h2>{w.upstreamTitle}</h2>
          <p class="small">{w.upstreamText(p.policy.scope.outOfScope.flatMap((a) => (a.upstream ? [a.upstream.name] : [])).join(', '))}</p>
          <p>{w.upstreamNow(r.upstreamConsent)}</p>
          <form method="post" action={`/report/status/upstream${q}`} enctype="multipart/form-data" class="actions">
            <input type="hidden" name="_csrf" value={p.csrf} />
            <button type="submit" name="consent" value="yes" class={r.upstreamConsent ? 'secondary' : ''}>
              {w.upstreamYes}
            </button>
            <button type="submit" name="consent" value="no" class="secondary">
              {w.upstreamNo}
            </button>
          </form>
        </section>
      )}
      <section class="card">
        <h2>{w.deviceTitle}</h2>
        <p class="small">{w.deviceText}</p>
        <form method="post" action={`/report/status/forget${q}`} enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value={p.csrf} />
          <button type="submit" class="secondary" data-confirm={w.forgetConfirm}>
            {w.forget}
          </button>
        </form>
      </section>
    </aside>
  );
}

function eventWords(e: ReporterView['timeline'][number], w: ReporterWords): string {
  if (e.kind === 'received') return w.events.received;
  if (e.kind === 'credit') return w.events.credit;
  if (e.kind === 'upstream_consent_given' || e.kind === 'upstream_consent_withdrawn') return w.upstreamNow(e.kind === 'upstream_consent_given');
  if (e.kind === 'forwarded_upstream') return w.events.update;
  if (e.kind === 'state' && e.from === 'waiting_on_reporter' && e.by === 'reporter') return w.events.replied;
  if (e.kind === 'state' && e.to) return w.events.stateTo(stateLabel(e.to, w)[0]);
  return w.events.update;
}

/** A short page for the reporter without a report on this device, or after forgetting it. */
export function ReporterNoticePage({ policy, lang, title, text }: { policy: Policy; lang: UiLanguage; title: string; text: string }) {
  const w = reporterWords[lang];
  return (
    <Layout title={title} lang={lang} projectName={policy.project.name}>
      <section class="card narrow">
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a href="/report">{w.newReport}</a>
        </p>
      </section>
    </Layout>
  );
}
