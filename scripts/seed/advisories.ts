import type { Insertable } from 'kysely';
import type { AdvisoriesTable, AdvisoryReportsTable, AdvisoryRevisionsTable, ReportEventsTable, ReportsTable } from '../../src/adapters/db/tables.js';
import { asStored, isoSeconds } from '../../src/app/advisories/check-advisory.js';
import { INITIAL_SUMMARY } from '../../src/app/advisories/publish-advisory.js';
import { resolveAdvisory, type InventoryTag } from '../../src/domain/advisories/resolve.js';
import { advisorySchema, type Advisory } from '../../src/domain/advisories/schema.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { decideTransition, type ReportState } from '../../src/domain/reports/states.js';
import type { SeededVersion } from './images.js';
import type { Random } from './random.js';
import type { AuditDraft, TeamMemberRef } from './reports.js';
import { DESCRIPTIONS, FLAWS, PLACES } from './words.js';

export interface SeededAdvisories {
  advisories: Array<Insertable<AdvisoriesTable>>;
  revisions: Array<Insertable<AdvisoryRevisionsTable>>;
  links: Array<Insertable<AdvisoryReportsTable>>;
  events: Array<Insertable<ReportEventsTable>>;
  audit: AuditDraft[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type SeedReport = Insertable<ReportsTable> & { id: string };

/**
 * `count` advisories over the fixed reports, oldest fix first, each made from the example advisory
 * of the policy (its prose, references and shape) with its own versions, fixed tags and digests from
 * the seeded inventory. Each goes the desk's way: drafted after the fix, scheduled, published when
 * its time has come (its fixed reports disclosed then, by the publish job), a few revised or
 * withdrawn. The newest stay drafts or scheduled. Every document passes the advisory model, and a
 * sample is resolved against the inventory as the editor's check would.
 */
export function seedAdvisories(
  rnd: Random,
  input: { count: number; now: Date; policy: Policy; template: Advisory; reports: SeedReport[]; team: readonly TeamMemberRef[]; versions: readonly SeededVersion[]; inventories: ReadonlyMap<string, readonly InventoryTag[]> },
): SeededAdvisories {
  const out: SeededAdvisories = { advisories: [], revisions: [], links: [], events: [], audit: [] };
  const { now, count } = input;
  if (count === 0) return out;
  const fixed = input.reports.filter((r) => r.state === 'fixed').sort((a, b) => a.fixed_at!.getTime() - b.fixed_at!.getTime());
  const members = input.team.filter((u) => u.role !== 'coordinator');
  const admin = input.team.find((u) => u.role === 'admin') ?? members[0]!;
  const fixable = input.versions.filter((v) => v.patch > 0);
  if (fixable.length === 0) throw new Error('seed: the inventory has no release with a patch above 0 to fix in; seed more tags');
  const numberOf = new Map(input.reports.map((r, i) => [r.id, i + 1]));
  const variants = input.policy.tags.variants;

  const groups = Array.from({ length: count }, (_, g) => {
    const from = fixed.length >= count ? Math.floor((g * fixed.length) / count) : g;
    const to = fixed.length >= count ? Math.floor(((g + 1) * fixed.length) / count) : Math.min(g + 1, fixed.length);
    const reports = fixed.slice(from, Math.max(from, to));
    const lastFix = reports.length ? Math.max(...reports.map((r) => r.fixed_at!.getTime())) : now.getTime() - Math.floor(rnd.next() * 700 * DAY);
    return { reports, created: Math.min(now.getTime() - HOUR, lastFix + rnd.hours(2, 72)) };
  }).sort((a, b) => a.created - b.created);

  const perYear = new Map<number, number>();
  for (const [g, group] of groups.entries()) {
    const created = new Date(group.created);
    const year = created.getUTCFullYear();
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    const ident = `CVDESK-${year}-${String(n).padStart(4, '0')}`;
    const id = rnd.uuid();
    const author = rnd.pick(members);
    const fix = rnd.pick(fixable);
    const onlyFirstVariant = variants.length > 1 && rnd.chance(0.5);
    const lead = group.reports[0];
    const vector = lead?.cvss_vector ?? input.template.severity.cvss31 ?? input.template.severity.cvss40!;
    const credits = group.reports.filter((r) => r.credit_name).map((r) => ({ name: r.credit_name!, type: 'finder' as const, contact: [] }));
    const title = `${rnd.pick(FLAWS)} ${rnd.pick(PLACES)}`;
    const draft: Advisory = {
      ...input.template,
      id: ident,
      status: 'draft',
      title,
      summary: `${title}: ${rnd.pick(DESCRIPTIONS)}`.slice(0, 400),
      details: `*Seeded advisory for the scale benchmark; it describes no real vulnerability.*\n\n${Array.from({ length: rnd.int(2, 5) }, () => rnd.pick(DESCRIPTIONS)).join(' ')}`,
      severity: vector.startsWith('CVSS:4.0/') ? { cvss40: vector } : { cvss31: vector },
      cwe: lead?.cwe ? [lead.cwe] : input.template.cwe,
      discovered: lead ? isoSeconds(lead.received_at) : undefined,
      published: undefined,
      revisions: [],
      withdrawn: undefined,
      credits: credits.length ? credits : input.template.credits,
      images: [
        {
          name: fix.repository,
          affected: { versions: [{ introduced: `${fix.major}.${fix.minor}.0`, fixed: fix.version }], ...(onlyFirstVariant ? { variants: [variants[0]!] } : {}) },
          fixed: fix.tags.map((t) => ({ tag: t.tag, digest: t.digest })),
          notAffected: onlyFirstVariant ? [{ variants: variants.slice(1), justification: 'vulnerable_code_not_present', statement: 'This variant does not contain the affected configuration.' }] : [],
        },
      ],
    };
    // the newest few stay drafts and scheduled; every thirtieth published one is withdrawn
    const forced = g === groups.length - 1 || g === groups.length - 2 ? 'draft' : g === groups.length - 3 ? 'scheduled' : null;
    const scheduledAt = group.created + rnd.hours(1, 48);
    const scheduledFor = forced === 'scheduled' ? now.getTime() + rnd.hours(24, 24 * 14) : scheduledAt + rnd.hours(12, 24 * 14);
    const state = forced === 'draft' || scheduledAt > now.getTime() ? 'draft' : forced === 'scheduled' || scheduledFor > now.getTime() ? 'scheduled' : 'published';
    const row: Insertable<AdvisoriesTable> = {
      id,
      ident,
      state,
      document: {},
      revision: 0,
      scheduled_for: state === 'draft' ? null : new Date(scheduledFor),
      scheduled_by: state === 'draft' ? null : author.id,
      published_at: null,
      created_at: created,
      created_by: author.id,
      updated_at: created,
      withdrawn_at: null,
      withdrawn_reason: null,
      override_by: null,
      override_reason: null,
    };
    const numbers = group.reports.map((r) => numberOf.get(r.id)!);
    out.audit.push({ at: created, actorKind: 'user', actorId: author.id, action: 'advisory.draft', reportId: null, detail: { advisory: ident, reports: numbers } });
    for (const r of group.reports) out.links.push({ advisory_id: id, report_id: r.id });
    let document: Advisory = draft;
    if (state !== 'draft') {
      row.updated_at = new Date(scheduledAt);
      out.audit.push({ at: new Date(scheduledAt), actorKind: 'user', actorId: author.id, action: 'advisory.schedule', reportId: null, detail: { advisory: ident, scheduledFor: new Date(scheduledFor).toISOString(), basis: 'next-security-window' } });
    }
    if (state === 'published') {
      const publishedAt = new Date(scheduledFor);
      const at = isoSeconds(publishedAt);
      document = { ...draft, status: 'final', published: at, revisions: [{ date: at, summary: INITIAL_SUMMARY }] };
      Object.assign(row, { published_at: publishedAt, revision: 1, updated_at: publishedAt });
      out.revisions.push({ advisory_id: id, revision: 1, document: asStored(document), at: publishedAt, by: null, summary: INITIAL_SUMMARY });
      const disclosed: number[] = [];
      for (const r of group.reports) {
        const d = decideTransition({ state: r.state as ReportState, acknowledgedAt: r.acknowledged_at ?? null, triagedAt: r.triaged_at ?? null, fixedAt: r.fixed_at ?? null, disclosedAt: null }, { type: 'disclose' }, publishedAt);
        if (!d.ok) throw new Error(`seed: ${d.reason}`);
        Object.assign(r, { state: d.to, disclosed_at: publishedAt, updated_at: publishedAt });
        out.events.push({ report_id: r.id, at: publishedAt, actor_kind: 'system', actor_id: null, kind: 'state', data: { from: d.from, to: d.to, action: 'disclose', advisory: ident }, visible: true });
        disclosed.push(numberOf.get(r.id)!);
      }
      out.audit.push({ at: publishedAt, actorKind: 'system', actorId: null, action: 'advisory.publish', reportId: null, detail: { advisory: ident, scheduledFor: publishedAt.toISOString(), early: false, override: false, disclosed } });
      // later changes: one in ten gets a revision, one in thirty is withdrawn
      const later = publishedAt.getTime() + rnd.hours(24, 24 * 60);
      if (later <= now.getTime() && (g % 30 === 7 || rnd.chance(0.1))) {
        const when = new Date(later);
        const at2 = isoSeconds(when);
        const withdraw = g % 30 === 7;
        const reason = 'The reported behaviour is the documented default and not a vulnerability of the image.';
        const summary = withdraw ? `Withdrawn: ${reason}` : 'Named the fixed tags of every variant.';
        document = { ...document, revisions: [...document.revisions, { date: at2, summary }], ...(withdraw ? { withdrawn: { date: at2, reason } } : {}) };
        Object.assign(row, { revision: 2, updated_at: when, ...(withdraw ? { state: 'withdrawn', withdrawn_at: when, withdrawn_reason: reason } : {}) });
        out.revisions.push({ advisory_id: id, revision: 2, document: asStored(document), at: when, by: admin.id, summary });
        out.audit.push({ at: when, actorKind: 'user', actorId: admin.id, action: withdraw ? 'advisory.withdraw' : 'advisory.update', reportId: null, detail: withdraw ? { advisory: ident, reason, revision: 2 } : { advisory: ident, state: 'published', revision: 2, summary } });
      }
    }
    row.document = asStored(document);
    const checked = advisorySchema.safeParse(row.document);
    if (!checked.success) throw new Error(`seed: advisory ${ident} does not pass the advisory model: ${checked.error.issues[0]?.message}`);
    if (g % Math.max(1, Math.floor(count / 10)) === 0) {
      const resolved = resolveAdvisory(checked.data, input.inventories, { tags: input.policy.tags, support: input.policy.support, images: input.policy.project.images.map((i) => i.name) });
      if (resolved.problems.length) throw new Error(`seed: advisory ${ident} does not resolve against the inventory: ${resolved.problems[0]!.message}`);
    }
    out.advisories.push(row);
  }
  return out;
}
