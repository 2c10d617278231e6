import type { Insertable } from 'kysely';
import { sha256Hex } from '../../src/app/audit.js';
import type { ForgeImportsTable, MessagesTable, ReportEventsTable, ReportPausesTable, ReportsTable } from '../../src/adapters/db/tables.js';
import { parseCvss } from '../../src/domain/advisories/cvss.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { decideTransition, type ReportAction, type ReportState } from '../../src/domain/reports/states.js';
import type { SeededVersion } from './images.js';
import type { Random } from './random.js';
import { DESCRIPTIONS, FLAWS, PLACES, REPLIES, TEAM_MESSAGES, TEAM_NOTES } from './words.js';

export interface AuditDraft {
  at: Date;
  actorKind: 'user' | 'reporter' | 'system';
  actorId: string | null;
  action: string;
  reportId: string | null;
  detail: Record<string, unknown>;
}

export interface SeededReports {
  /** In order of arrival, so that the desk numbers them in that order. */
  reports: Array<Insertable<ReportsTable> & { id: string }>;
  events: Array<Insertable<ReportEventsTable>>;
  pauses: Array<Insertable<ReportPausesTable>>;
  messages: Array<Insertable<MessagesTable>>;
  forgeImports: Array<Insertable<ForgeImportsTable>>;
  audit: AuditDraft[];
}

export interface TeamMemberRef {
  id: string;
  role: 'admin' | 'member' | 'coordinator';
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Vectors the team sets at triage, from none to critical, CVSS 3.1 and 4.0. */
const VECTORS = [
  'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N',
  'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N',
  'CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:N',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
  'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
] as const;
const SCORED = VECTORS.map((v) => {
  const r = parseCvss(v);
  if (!r.ok) throw new Error(`seed vector ${v}: ${r.message}`);
  return r;
});
const CWES = ['CWE-79', 'CWE-89', 'CWE-22', 'CWE-276', 'CWE-250', 'CWE-552', 'CWE-200', 'CWE-798', 'CWE-352', 'CWE-918'];
const CHANNEL_WEIGHTS = { web: 45, email: 25, api: 15, github: 10, gitlab: 5 } as const;

/**
 * `count` reports received over the two years before `now`, each moved through its states the way
 * the desk would have moved it (the domain's own transition rules decide every step), with the
 * timeline, pauses, conversation and audit entries the app writes on the way. Most old reports are
 * closed; a few are stuck past their deadlines (the overdue ones); fixed reports wait for an
 * advisory (seeded next) to disclose them.
 */
export function seedReports(rnd: Random, input: { count: number; now: Date; policy: Policy; team: readonly TeamMemberRef[]; versions: readonly SeededVersion[] }): SeededReports {
  const { now, policy } = input;
  const out: SeededReports = { reports: [], events: [], pauses: [], messages: [], forgeImports: [], audit: [] };
  const members = input.team.filter((u) => u.role !== 'coordinator');
  const arrivals = Array.from({ length: input.count }, () => now.getTime() - Math.floor(rnd.next() ** 0.8 * 730 * DAY)).sort((a, b) => a - b);
  const languages = policy.languages;
  const outOfScope = policy.scope.outOfScope;
  for (const [i, at] of arrivals.entries()) {
    const id = rnd.uuid();
    const receivedAt = new Date(at);
    const channel = rnd.weighted(CHANNEL_WEIGHTS);
    const version = input.versions.length && rnd.chance(0.8) ? rnd.pick(input.versions) : null;
    const tagRef = version ? rnd.pick(version.tags) : null;
    const withEmail = channel === 'email' || rnd.chance(0.7);
    const name = rnd.chance(0.6) ? `Researcher ${rnd.int(1, 5000)}` : null;
    const report: Insertable<ReportsTable> & { id: string } = {
      id,
      title: `${rnd.pick(FLAWS)} ${rnd.pick(PLACES)}`,
      image: version ? version.repository : null,
      tag: tagRef?.tag ?? null,
      description: Array.from({ length: rnd.int(2, 6) }, () => rnd.pick(DESCRIPTIONS)).join(' '),
      steps: rnd.chance(0.6) ? `1. docker run ${version?.repository ?? 'the image'}:${tagRef?.tag ?? 'latest'}\n2. ${rnd.pick(DESCRIPTIONS)}` : null,
      impact: rnd.chance(0.5) ? rnd.pick(DESCRIPTIONS) : null,
      reporter_cvss: rnd.chance(0.3) ? rnd.pick(VECTORS) : null,
      reporter_name: name,
      reporter_email: withEmail ? `reporter${i + 1}@researchers.example` : null,
      credit_name: name && rnd.chance(0.7) ? name : null,
      language: rnd.chance(0.85) ? languages[0]! : rnd.pick(languages),
      channel,
      encrypted: channel === 'email' && rnd.chance(0.3),
      state: 'received',
      rejection_reason: null,
      duplicate_of: null,
      severity: null,
      cvss_vector: null,
      cvss_score: null,
      cwe: null,
      scope_area: null,
      upstream_consent: rnd.chance(0.2),
      assignee_id: null,
      received_at: receivedAt,
      acknowledged_at: null,
      triaged_at: null,
      fixed_at: null,
      disclosed_at: null,
      token_hash: sha256Hex(`seed-token:${id}`),
      updated_at: receivedAt,
      reporter_key: null,
    };
    out.reports.push(report);
    const event = (e: Omit<Insertable<ReportEventsTable>, 'report_id'>) => out.events.push({ report_id: id, ...e });
    const audit = (a: Omit<AuditDraft, 'reportId'>) => out.audit.push({ reportId: id, ...a });
    event({ at: receivedAt, actor_kind: 'reporter', actor_id: null, kind: 'received', data: { channel, attachments: 0 }, visible: true });
    audit({ at: receivedAt, actorKind: 'reporter', actorId: null, action: 'report.submit', detail: { channel, attachments: 0, anonymous: !withEmail } });
    if (channel === 'github' || channel === 'gitlab') {
      const externalId = channel === 'github' ? `GHSA-${ghsaPart(rnd)}-${ghsaPart(rnd)}-${ghsaPart(rnd)}` : `gitlab.example:${100000 + i}`;
      const url = channel === 'github' ? `https://github.com/example/project/security/advisories/${externalId}` : `https://gitlab.example/group/project/-/issues/${i + 1}`;
      out.forgeImports.push({ forge: channel, external_id: externalId, report_id: id, project: channel === 'github' ? 'example/project' : 'group/project', project_id: channel === 'gitlab' ? '42' : null, issue_iid: channel === 'gitlab' ? i + 1 : null, url, reporter_login: `user${i + 1}`, data: {}, via: 'poll', imported_at: receivedAt });
      event({ at: receivedAt, actor_kind: 'system', actor_id: null, kind: 'forge_import', data: { forge: channel, externalId, url, via: 'poll' }, visible: false });
      audit({ at: receivedAt, actorKind: 'system', actorId: null, action: 'forge.import', detail: { forge: channel, externalId, project: report.image, via: 'poll' } });
    }

    const assignee = rnd.pick(members);
    let t = at;
    /** Applies an action at time t if t has come, as applyTransition does; false when it is still ahead. */
    const step = (action: ReportAction, actor: { kind: 'user' | 'system'; id: string | null }, extra: Record<string, unknown> = {}): boolean => {
      if (t > now.getTime()) return false;
      const when = new Date(t);
      const d = decideTransition({ state: report.state as ReportState, acknowledgedAt: report.acknowledged_at ?? null, triagedAt: report.triaged_at ?? null, fixedAt: report.fixed_at ?? null, disclosedAt: report.disclosed_at ?? null }, action, when);
      if (!d.ok) throw new Error(`seed: ${d.reason}`);
      report.state = d.to;
      if (d.changes.acknowledgedAt !== undefined) report.acknowledged_at = d.changes.acknowledgedAt;
      if (d.changes.triagedAt !== undefined) report.triaged_at = d.changes.triagedAt;
      if (d.changes.fixedAt !== undefined) report.fixed_at = d.changes.fixedAt;
      report.updated_at = when;
      if (d.pause === 'start') out.pauses.push({ report_id: id, started_at: when, ended_at: null });
      if (d.pause === 'end') out.pauses.at(-1)!.ended_at = when;
      const data = { from: d.from, to: d.to, action: action.type, ...extra };
      event({ at: when, actor_kind: actor.kind, actor_id: actor.id, kind: 'state', data, visible: true });
      if (actor.kind === 'user') audit({ at: when, actorKind: 'user', actorId: actor.id, action: 'report.transition', detail: data });
      return true;
    };
    const user = { kind: 'user' as const, id: assignee.id };

    // acknowledgement: automatic with the receipt mail when there is an address, else by hand
    t += withEmail ? rnd.int(1, 10) * 60_000 : rnd.hours(0.5, 30);
    if (!step({ type: 'acknowledge' }, withEmail ? { kind: 'system', id: null } : user, withEmail ? { automatic: true } : {})) continue;
    if (rnd.chance(0.4)) {
      t += rnd.hours(1, 48);
      if (t <= now.getTime()) out.messages.push({ id: rnd.uuid(), report_id: id, at: new Date(t), author_kind: 'user', author_id: assignee.id, internal: false, body: rnd.pick(TEAM_MESSAGES) });
    }
    // some reports wait on the reporter before triage
    if (rnd.chance(0.12)) {
      t += rnd.hours(2, 72);
      if (!step({ type: 'request_info' }, user)) continue;
      out.messages.push({ id: rnd.uuid(), report_id: id, at: new Date(t), author_kind: 'user', author_id: assignee.id, internal: false, body: rnd.pick(TEAM_MESSAGES) });
      t += rnd.hours(4, 24 * 30);
      if (t > now.getTime() || rnd.chance(0.05)) continue; // still waiting (or never answered)
      out.messages.push({ id: rnd.uuid(), report_id: id, at: new Date(t), author_kind: 'reporter', author_id: null, internal: false, body: rnd.pick(REPLIES) });
      if (!step({ type: 'reporter_replied' }, { kind: 'system', id: null })) continue;
    }
    // a few are stuck untriaged (overdue), the rest are triaged within days
    if (rnd.chance(0.01)) continue;
    t += rnd.hours(4, 24 * 12);
    if (rnd.chance(0.62)) {
      const reason = rnd.weighted({ invalid: 40, duplicate: 30, out_of_scope: 20, upstream: 10 });
      const area = reason === 'upstream' ? outOfScope.find((a) => a.upstream) : reason === 'out_of_scope' ? rnd.pick(outOfScope.length ? outOfScope : [undefined]) : undefined;
      const earlier = i > 0 ? out.reports[rnd.int(0, i - 1)]! : null;
      const why = (reason === 'out_of_scope' || reason === 'upstream') && !area ? 'invalid' : reason === 'duplicate' && !earlier ? 'invalid' : reason;
      const done = step({ type: 'reject', reason: why, ...(why === 'duplicate' ? { duplicateOf: earlier!.id } : {}) }, user, { reason: why, ...(area && why !== 'invalid' && why !== 'duplicate' ? { scopeArea: area.area } : {}) });
      if (!done) continue;
      report.rejection_reason = why;
      report.duplicate_of = why === 'duplicate' ? earlier!.id : null;
      report.scope_area = area && (why === 'out_of_scope' || why === 'upstream') ? area.area : null;
      continue;
    }
    if (!step({ type: 'accept' }, user)) continue;
    const k = rnd.int(0, SCORED.length - 1);
    const scored = SCORED[k]!;
    const cwe = rnd.pick(CWES);
    Object.assign(report, { severity: scored.severity, cvss_vector: scored.vector, cvss_score: scored.score, cwe, assignee_id: assignee.id });
    const details = { cvss_vector: scored.vector, cvss_score: scored.score, severity: scored.severity, cwe, assignee_id: assignee.id };
    event({ at: new Date(t), actor_kind: 'user', actor_id: assignee.id, kind: 'details', data: details, visible: false });
    audit({ at: new Date(t), actorKind: 'user', actorId: assignee.id, action: 'report.update', detail: details });
    if (rnd.chance(0.3)) out.messages.push({ id: rnd.uuid(), report_id: id, at: new Date(t), author_kind: 'user', author_id: assignee.id, internal: true, body: rnd.pick(TEAM_NOTES) });
    if (rnd.chance(0.04)) continue; // stuck in accepted: the fix clock runs out
    t += rnd.hours(2, 24 * 5);
    if (!step({ type: 'start_fix' }, user)) continue;
    if (rnd.chance(0.03)) continue; // stuck in fixing
    t += rnd.hours(24, 24 * 30);
    step({ type: 'mark_fixed' }, user);
  }
  return out;
}

function ghsaPart(rnd: Random): string {
  const alphabet = '23456789cfghjmpqrvwx';
  return Array.from({ length: 4 }, () => alphabet[rnd.int(0, alphabet.length - 1)]).join('');
}

export { DAY, HOUR };
