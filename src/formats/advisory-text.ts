/**
 * Sentences the human-readable renderings share (Markdown, HTML, the OSV details): what to do for
 * an affected image, who is credited for what, why an image is not affected.
 */
import type { ExcludedTag, Remedy } from '../domain/advisories/resolve.js';
import type { CreditType, NotAffectedJustification } from '../domain/advisories/schema.js';
import type { AdvisoryView } from '../domain/advisories/view.js';

export function remedySentence(image: string, r: Remedy): string {
  switch (r.kind) {
    case 'pull':
      return `Pull ${image}:${r.tag} again: the tag now carries the fixed image ${r.digest}.`;
    case 'move':
      return `Move to ${image}:${r.tag} (${r.digest}), which has the fix.`;
    case 'none':
      return 'No fixed image is available yet.';
  }
}

export const CREDIT_ROLE: Record<CreditType, string> = {
  finder: 'found the vulnerability',
  reporter: 'reported the vulnerability',
  analyst: 'analyzed the vulnerability',
  coordinator: 'coordinated the disclosure',
  remediation_developer: 'developed the fix',
  remediation_reviewer: 'reviewed the fix',
  remediation_verifier: 'verified the fix',
  tool: 'the tool that found the vulnerability',
  sponsor: 'sponsored the work',
  other: 'contributed',
};

export const JUSTIFICATION_TEXT: Record<NotAffectedJustification, string> = {
  component_not_present: 'the vulnerable component is not in the image',
  vulnerable_code_not_present: 'the vulnerable code is not in the image',
  vulnerable_code_cannot_be_controlled_by_adversary: 'an attacker cannot reach or control the vulnerable code',
  vulnerable_code_not_in_execute_path: 'the image never runs the vulnerable code',
  inline_mitigations_already_exist: 'the image already mitigates it',
};

/** 2026-11-25 from an instant. */
export const day = (instant: string): string => instant.slice(0, 10);

/** The plain-language scope note: only supported tags are listed, and which matching ones are not. */
export function scopeText(view: AdvisoryView, noun = 'advisory'): string {
  const policy = view.project.policyUrl ? ` (${view.project.policyUrl})` : '';
  const lines = [`This ${noun} lists only the image tags that receive security updates under the security policy of ${view.project.name}${policy}.`];
  const groups: string[] = [];
  for (const image of view.images) {
    const byReason = new Map<string, ExcludedTag[]>();
    for (const e of image.excluded) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e]);
    for (const [reason, tags] of byReason) groups.push(`${image.name} ${listing(tags.map((t) => t.tag))}: ${reason.replace(/\.$/, '')}.`);
  }
  if (groups.length) lines.push('These tags carry the flaw too but receive no security updates; move to a supported tag.', ...groups);
  return lines.join(' ');
}

/** "a", "a and b", "a, b and c" */
export const listing = (xs: string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** "The vulnerable code is not in the image. The FPM variant …" */
export const notAffectedText = (justification: NotAffectedJustification, statement: string): string => {
  const j = JUSTIFICATION_TEXT[justification];
  return `${j.charAt(0).toUpperCase()}${j.slice(1)}. ${statement}`;
};
