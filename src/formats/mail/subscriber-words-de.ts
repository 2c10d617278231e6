import { formatMailInstant } from './words.js';
import type { SubscriberMailWords } from './subscriber-words.js';

// German mail to advisory subscribers; formal ("Sie"), like the German pages.

const SEVERITY = { none: 'Keiner', low: 'Niedrig', medium: 'Mittel', high: 'Hoch', critical: 'Kritisch' } as const;

export const subscriberWordsDe: SubscriberMailWords = {
  instant: (d, tz) => formatMailInstant(d, tz, 'de'),
  severity: (s) => SEVERITY[s],
  signature: (team) => `— ${team}`,

  confirmSubject: (project) => `Bitte bestätigen: Sicherheitshinweise von ${project} per E-Mail`,
  confirmAsked: (project) => `Jemand, hoffentlich Sie, möchte die Sicherheitshinweise von ${project} an diese Adresse erhalten.`,
  confirmLink: (expires) => `Zur Bestätigung öffnen Sie diesen Link und drücken die Schaltfläche (gültig bis ${expires}):`,
  confirmIgnore: 'Wenn Sie das nicht waren, ignorieren Sie diese Mail: Ohne Bestätigung erhält diese Adresse nichts weiter von uns.',

  announceSubject: (project, ident, severity, title) => `[${project} Sicherheit] ${ident} (${severity}): ${title}`,
  announceIntro: (team, project, ident) => `Das ${team} von ${project} hat den Sicherheitshinweis ${ident} veröffentlicht.`,
  severityLine: (severity, score) => `Schweregrad: ${severity} (${score.toFixed(1).replace('.', ',')})`,
  aliases: (ids) => `Auch bekannt als: ${ids}`,
  affected: 'Betroffene Images (Tag, Digest, was zu tun ist):',
  noneAffected: 'Kein Image-Tag, das Sicherheitsupdates erhält, ist betroffen.',
  remedy: (image, r) =>
    r.kind === 'pull' ? `${image}:${r.tag} erneut ziehen (jetzt ${r.digest})` : r.kind === 'move' ? `zu ${image}:${r.tag} wechseln (${r.digest})` : 'noch kein behobenes Image',
  fixed: 'Behobene Images:',
  whatToDo: 'Was zu tun ist:',
  workarounds: 'Übergangslösungen, bis Sie wechseln können:',
  readMore: 'Der vollständige Hinweis:',
  machineReadable: 'Maschinenlesbar:',
  footer: (project) => `Sie erhalten diese Mail, weil diese Adresse die Sicherheitshinweise von ${project} abonniert hat.`,
  unsubscribe: 'Mit einem Klick abbestellen:',
};
