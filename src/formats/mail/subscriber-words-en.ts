import { formatMailInstant } from './words.js';
import type { SubscriberMailWords } from './subscriber-words.js';

// English mail to advisory subscribers.

const SEVERITY = { none: 'None', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' } as const;

export const subscriberWordsEn: SubscriberMailWords = {
  instant: (d, tz) => formatMailInstant(d, tz, 'en'),
  severity: (s) => SEVERITY[s],
  signature: (team) => `— ${team}`,

  confirmSubject: (project) => `Confirm: security advisories of ${project} by e-mail`,
  confirmAsked: (project) => `Someone, hopefully you, asked to receive the security advisories of ${project} at this address.`,
  confirmLink: (expires) => `To confirm, open this link and press the button (it works until ${expires}):`,
  confirmIgnore: 'If you did not ask for this, ignore this mail: without confirmation this address gets nothing more from us.',

  announceSubject: (project, ident, severity, title) => `[${project} security] ${ident} (${severity}): ${title}`,
  announceIntro: (team, project, ident) => `The ${team} of ${project} has published the security advisory ${ident}.`,
  severityLine: (severity, score) => `Severity: ${severity} (${score.toFixed(1)})`,
  aliases: (ids) => `Also known as: ${ids}`,
  affected: 'Affected images (tag, digest, what to do):',
  noneAffected: 'No image tag that receives security updates is affected.',
  remedy: (image, r) =>
    r.kind === 'pull' ? `pull ${image}:${r.tag} again (now ${r.digest})` : r.kind === 'move' ? `move to ${image}:${r.tag} (${r.digest})` : 'no fixed image yet',
  fixed: 'Fixed images:',
  whatToDo: 'What to do:',
  workarounds: 'Workarounds, until you can move:',
  readMore: 'The whole advisory:',
  machineReadable: 'Machine-readable:',
  footer: (project) => `You receive this because this address subscribed to the security advisories of ${project}.`,
  unsubscribe: 'Unsubscribe with one click:',
};
