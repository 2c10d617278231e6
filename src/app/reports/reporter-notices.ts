import type { Policy } from '../../domain/policy/schema.js';

/** Messages the desk itself writes to a reporter, in the report's language (English when we have no words for it). */
const WORDS = {
  en: {
    upstream: (project: string, area: string, name: string, contact: string) =>
      `Thank you for your report. It concerns ${area}, which is outside the scope of ${project}'s security policy. Please report it to ${name}: ${contact}`,
    outOfScope: (project: string, area: string) => `Thank you for your report. It concerns ${area}, which is outside the scope of ${project}'s security policy, so we have closed it.`,
  },
  de: {
    upstream: (project: string, area: string, name: string, contact: string) =>
      `Vielen Dank für Ihre Meldung. Sie betrifft ${area} und liegt damit außerhalb der Sicherheitsrichtlinie von ${project}. Bitte melden Sie sie an ${name}: ${contact}`,
    outOfScope: (project: string, area: string) =>
      `Vielen Dank für Ihre Meldung. Sie betrifft ${area} und liegt damit außerhalb der Sicherheitsrichtlinie von ${project}; wir haben sie daher geschlossen.`,
  },
};

const wordsFor = (language: string) => (language.toLowerCase().startsWith('de') ? WORDS.de : WORDS.en);

/** The policy's out-of-scope area by name, with its upstream contact when it has one. */
export const outOfScopeArea = (p: Policy, area: string) => p.scope.outOfScope.find((a) => a.area === area);

export function scopeNotice(p: Policy, language: string, area: string): string {
  const a = outOfScopeArea(p, area);
  const w = wordsFor(language);
  return a?.upstream ? w.upstream(p.project.name, a.area, a.upstream.name, a.upstream.contact) : w.outOfScope(p.project.name, area);
}
