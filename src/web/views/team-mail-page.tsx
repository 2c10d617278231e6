import type { ComponentChildren } from 'preact';
import type { OutboxView, OutboxViewRow } from '../../app/notifications/list-outbox.js';
import type { OutboxStatus } from '../../app/notifications/outbox.js';
import { formatInstant } from '../format.js';
import { Layout } from './layout.js';

export interface MailPageProps {
  projectName: string;
  timeZone: string;
  nav: ComponentChildren;
  csrf: string;
  view: OutboxView;
  status: OutboxStatus | null;
  /** Members and admins may send a failed mail again; coordinators only read. */
  mayRetry: boolean;
  notice?: { level: 'ok' | 'bad'; text: string } | undefined;
}

const KIND: Record<OutboxViewRow['kind'], string> = {
  ack: 'acknowledgement',
  event: 'status change',
  message: 'team message',
  'new-report': 'new report',
  'due-soon': 'due soon',
  overdue: 'overdue',
  digest: 'daily digest',
  invitation: 'invitation',
  'subscription-confirm': 'subscription confirmation',
  announcement: 'advisory announcement',
};

const BADGE: Record<OutboxStatus, string> = { pending: 'info', sent: 'ok', failed: 'bad', cancelled: '' };

function StatusCell({ r, timeZone }: { r: OutboxViewRow; timeZone: string }) {
  return (
    <>
      <span class={`badge ${BADGE[r.status]}`}>{r.status}</span>
      <div class="small muted">
        {r.status === 'sent' && r.sentAt ? formatInstant(r.sentAt, timeZone) : null}
        {r.status === 'pending' ? `next try ${formatInstant(r.nextAttemptAt, timeZone)}` : null}
        {r.attempts > 0 ? ` · ${r.attempts} ${r.attempts === 1 ? 'attempt' : 'attempts'}` : null}
      </div>
    </>
  );
}

/** Outgoing mail: what is waiting, what went out, what failed and why, with a way to send it again. */
export function MailPage(p: MailPageProps) {
  const c = p.view.counts;
  const filter = (status: OutboxStatus | null, label: string) => (
    <a href={status ? `/team/mail?status=${status}` : '/team/mail'} aria-current={p.status === status ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <Layout title="Mail" lang="en" projectName={p.projectName} nav={p.nav}>
      <h1>Mail</h1>
      {p.notice && <p class={`notice ${p.notice.level}`}>{p.notice.text}</p>}
      {p.view.server ? (
        <p class="muted">Mail goes out through {p.view.server}. Each mail is tried again with growing pauses; after the last try it is marked failed.</p>
      ) : (
        <p class="notice warn">Mail is not configured (CVDESK_MAIL_URL is not set): nothing is sent. Mail waits here and goes out once it is.</p>
      )}
      {c.failed > 0 && (
        <p class="notice bad">
          {c.failed === 1 ? '1 mail' : `${c.failed} mails`} could not be sent. {p.status !== 'failed' && <a href="/team/mail?status=failed">Show the failed mail</a>}
        </p>
      )}
      <p>
        {filter(null, `All (${c.pending + c.sent + c.failed + c.cancelled})`)} · {filter('pending', `Waiting (${c.pending})`)} · {filter('failed', `Failed (${c.failed})`)} ·{' '}
        {filter('sent', `Sent (${c.sent})`)} · {filter('cancelled', `Cancelled (${c.cancelled})`)}
      </p>
      {p.view.rows.length === 0 ? (
        <p class="card muted">No mail here.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Written</th>
                <th>What</th>
                <th>To</th>
                <th>Report</th>
                <th>Status</th>
                <th>Last error</th>
                {p.mayRetry && <th>Action</th>}
              </tr>
            </thead>
            <tbody>
              {p.view.rows.map((r) => (
                <tr>
                  <td class="small">{formatInstant(r.createdAt, p.timeZone)}</td>
                  <td>{KIND[r.kind]}</td>
                  <td>{r.audience === 'reporter' ? `reporter (${r.recipient})` : r.recipient}</td>
                  <td>{r.reportNumber !== null ? <a href={`/team/reports/${r.reportNumber}`}>#{r.reportNumber}</a> : '—'}</td>
                  <td>
                    <StatusCell r={r} timeZone={p.timeZone} />
                  </td>
                  <td class="small mono">{r.lastError ?? ''}</td>
                  {p.mayRetry && (
                    <td>
                      {(r.status === 'failed' || (r.status === 'pending' && r.attempts > 0 && p.view.server)) && (
                        <form method="post" action="/team/mail/retry" class="inline-form">
                          <input type="hidden" name="_csrf" value={p.csrf} />
                          <input type="hidden" name="id" value={r.id} />
                          <button type="submit" class="secondary" aria-label={`Send the ${KIND[r.kind]} to ${r.recipient} again`}>
                            {r.status === 'failed' ? 'Send again' : 'Send now'}
                          </button>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
