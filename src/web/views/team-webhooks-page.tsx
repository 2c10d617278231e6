import type { DeliveryView, WebhookView } from '../../app/announcements/webhooks.js';
import { formatInstant } from '../format.js';
import type { TeamPrincipal } from '../team-session.js';
import { CsrfField } from './team-form-parts.js';
import { TeamFrame } from './team-nav.js';

export interface WebhooksPageProps {
  projectName: string;
  principal: TeamPrincipal;
  csrf: string;
  timeZone: string;
  webhooks: WebhookView[];
  deliveries: DeliveryView[];
  subscribers: { confirmed: number; pending: number };
  notice?: { level: 'ok' | 'bad'; text: string } | undefined;
  /** The webhook just added, with its key: shown this once, never again. */
  created?: { url: string; secret: string };
  values?: { url?: string };
  urlProblem?: string;
}

const BADGE: Record<DeliveryView['status'], string> = { pending: 'info', delivered: 'ok', failed: 'bad', cancelled: '' };

/** Announcements of published advisories: the webhooks (admins add and remove them), their deliveries, the subscriber count. */
export function WebhooksPage(p: WebhooksPageProps) {
  return (
    <TeamFrame title="Announcements" projectName={p.projectName} user={p.principal.user} csrf={p.csrf} current="webhooks">
      <h1>Announcements</h1>
      {p.notice && (
        <p class={`notice ${p.notice.level}`} role="status">
          {p.notice.text}
        </p>
      )}
      <p>
        Each published advisory is announced once: by mail to the confirmed subscribers of <a href="/advisories/subscribe">/advisories/subscribe</a> ({p.subscribers.confirmed} confirmed,{' '}
        {p.subscribers.pending} waiting for confirmation; their mail is on <a href="/team/mail">Mail</a>), and as a signed JSON POST to each webhook below.
      </p>
      {p.created && (
        <section class="card notice ok">
          <h2>Webhook added: {p.created.url}</h2>
          <p>
            Its signing key is shown only now. Give it to the receiver, which checks <code>X-Cvdesk-Signature-256</code> (HMAC-SHA256 of <code>&lt;X-Cvdesk-Timestamp&gt;.&lt;raw body&gt;</code>) with it.
          </p>
          <code class="secret" id="webhook-secret">
            {p.created.secret}
          </code>
          <button type="button" class="secondary" data-copy="webhook-secret" data-copied="Copied">
            Copy key
          </button>
        </section>
      )}
      <section class="card">
        <h2>Webhooks</h2>
        {p.webhooks.length === 0 ? (
          <p class="muted">No webhook yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Added</th>
                  <th scope="col">Remove</th>
                </tr>
              </thead>
              <tbody>
                {p.webhooks.map((h) => (
                  <tr>
                    <td class="mono">{h.url}</td>
                    <td class="small">
                      {formatInstant(h.createdAt, p.timeZone)}
                      {h.createdBy ? ` by ${h.createdBy}` : ''}
                    </td>
                    <td>
                      <form method="post" action="/team/webhooks/remove" class="inline-form">
                        <CsrfField token={p.csrf} />
                        <input type="hidden" name="id" value={h.id} />
                        <button type="submit" class="secondary" aria-label={`Remove the webhook ${h.url}`}>
                          Remove
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form method="post" action="/team/webhooks" novalidate>
          <CsrfField token={p.csrf} />
          <div class="field">
            <label for="f-url">
              Add a webhook URL <span class="hint">http or https, without a user name or password</span>
            </label>
            <input
              id="f-url"
              name="url"
              type="url"
              required
              maxLength={2000}
              value={p.values?.url ?? ''}
              aria-invalid={p.urlProblem ? 'true' : undefined}
              aria-describedby={p.urlProblem ? 'f-url-problem' : undefined}
            />
            {p.urlProblem && (
              <p class="notice bad small" id="f-url-problem">
                {p.urlProblem}
              </p>
            )}
          </div>
          <div class="actions">
            <button type="submit">Add webhook</button>
          </div>
        </form>
      </section>
      <section class="card">
        <h2>Deliveries</h2>
        {p.deliveries.length === 0 ? (
          <p class="muted">Nothing delivered yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Written</th>
                  <th scope="col">Advisory</th>
                  <th scope="col">Webhook</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last answer</th>
                </tr>
              </thead>
              <tbody>
                {p.deliveries.map((d) => (
                  <tr>
                    <td class="small">{formatInstant(d.createdAt, p.timeZone)}</td>
                    <td>
                      <a href={`/team/advisories/${d.ident}`}>{d.ident}</a>
                    </td>
                    <td class="mono small">
                      {d.url}
                      {!d.webhookActive && ' (removed)'}
                    </td>
                    <td>
                      <span class={`badge ${BADGE[d.status]}`}>{d.status}</span>
                      <div class="small muted">
                        {d.status === 'delivered' && d.deliveredAt ? formatInstant(d.deliveredAt, p.timeZone) : null}
                        {d.status === 'pending' ? `next try ${formatInstant(d.nextAttemptAt, p.timeZone)}` : null}
                        {d.attempts > 0 ? ` · ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}` : null}
                      </div>
                    </td>
                    <td class="small mono">{[d.lastStatus !== null ? `HTTP ${d.lastStatus}` : null, d.lastError].filter(Boolean).join(': ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </TeamFrame>
  );
}
