import type { PolicyDuration } from '../../domain/policy/duration.js';
import type { Anchor, Severity } from '../../domain/policy/schema-sla.js';
import { code, groupHex, isUtc, list, regionName, simpleCron, weekdayList, type SecurityMdWords } from './words.js';

// German SECURITY.md. Addresses the reader formally ("Sie"), as German security policies do.
// "Werktage" are defined in the business-day sentence (Monday to Friday unless the policy says otherwise).

const und = (items: readonly string[]) => list(items, 'und');
const ISO_DAYS = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'];
const CRON_DAYS = ['Sonntag', ...ISO_DAYS];
const WEEKDAY: Record<string, string> = {
  monday: 'Montag',
  tuesday: 'Dienstag',
  wednesday: 'Mittwoch',
  thursday: 'Donnerstag',
  friday: 'Freitag',
  saturday: 'Samstag',
  sunday: 'Sonntag',
};
const SEVERITY: Record<Severity, string> = { low: 'niedrig', medium: 'mittel', high: 'hoch', critical: 'kritisch' };
/** "bei kritischem Schweregrad": the adjective in the dative. */
const SEVERITY_DATIVE: Record<Severity, string> = { low: 'niedrigem', medium: 'mittlerem', high: 'hohem', critical: 'kritischem' };
const AFTER: Record<Anchor, string> = {
  received: 'nach Eingang',
  acknowledged: 'nach der Eingangsbestätigung',
  triaged: 'nach Bestätigung der Schwachstelle',
  // only the patch stage counts from "fixed"; "ihrer" is the fix it ships
  fixed: 'nach ihrer Fertigstellung',
};
const INCLUDES = {
  severity: 'den Schweregrad',
  'affected-builds': 'die betroffenen Builds',
  remediation: 'die Schritte zur Behebung',
  credits: 'die Nennung der Meldenden',
  workarounds: 'mögliche Übergangslösungen',
};
const LANGUAGE_NAMES: Record<string, string> = {
  en: 'Englisch',
  de: 'Deutsch',
  fr: 'Französisch',
  es: 'Spanisch',
  nl: 'Niederländisch',
  it: 'Italienisch',
  pt: 'Portugiesisch',
  pl: 'Polnisch',
  cs: 'Tschechisch',
  ja: 'Japanisch',
  zh: 'Chinesisch',
};
const NEXT_WINDOW = 'im nächsten Release-Fenster für Sicherheitskorrekturen';

/** "24 Stunden", "7 Werktage", "1 Woche" */
function duration(d: PolicyDuration): string {
  const n = d.amount;
  switch (d.unit) {
    case 'hours':
      return n === 1 ? '1 Stunde' : `${n} Stunden`;
    case 'business_days':
      return n === 1 ? '1 Werktag' : `${n} Werktage`;
    case 'calendar_days':
      if (n % 7 === 0) return n === 7 ? '1 Woche' : `${n / 7} Wochen`;
      return n === 1 ? '1 Kalendertag' : `${n} Kalendertage`;
  }
}

/** "innerhalb von 7 Werktagen", "innerhalb einer Woche" */
function within(d: PolicyDuration): string {
  const n = d.amount;
  switch (d.unit) {
    case 'hours':
      return n === 1 ? 'innerhalb einer Stunde' : `innerhalb von ${n} Stunden`;
    case 'business_days':
      return n === 1 ? 'innerhalb eines Werktags' : `innerhalb von ${n} Werktagen`;
    case 'calendar_days':
      if (n % 7 === 0) return n === 7 ? 'innerhalb einer Woche' : `innerhalb von ${n / 7} Wochen`;
      return n === 1 ? 'innerhalb eines Kalendertags' : `innerhalb von ${n} Kalendertagen`;
  }
}

/**
 * Team and project names come from the policy, usually English ("Mautic Security Team"). German
 * needs an article before them; guess the gender from the last word, and use none for a bare name.
 */
function gender(name: string): 'n' | 'f' | 'm' | null {
  const last = name.trim().split(/\s+/).pop()?.toLowerCase() ?? '';
  if (/(team|projekt|project|cert|csirt|gremium|komitee|committee|board)$/.test(last)) return 'n';
  if (/(ung|schaft|foundation|gruppe|group|community|organisation|organization|initiative)$/.test(last)) return 'f';
  if (/(verein|rat|ausschuss)$/.test(last)) return 'm';
  return null;
}
const ARTICLE = { nom: { n: 'das', f: 'die', m: 'der' }, dat: { n: 'dem', f: 'der', m: 'dem' } } as const;
function withArticle(name: string, kase: 'nom' | 'dat'): string {
  const g = gender(name);
  return g ? `${ARTICLE[kase][g]} ${name}` : name;
}
/** "vom Mautic Security Team", "von der OpenSSF Foundation", "von Debian" */
function fromName(name: string, shown: string): string {
  const g = gender(name);
  return `${g === 'f' ? 'von der' : g ? 'vom' : 'von'} ${shown}`;
}
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function cronInWords(cron: string, timeZone: string): string {
  const tz = isUtc(timeZone) ? 'UTC' : `(Zeitzone ${timeZone})`;
  const c = simpleCron(cron);
  switch (c.kind) {
    case 'daily':
      return `täglich um ${c.at} Uhr ${tz}`;
    case 'weekly':
      return `jeden ${und(c.days.map((d) => CRON_DAYS[d] ?? String(d)))} um ${c.at} Uhr ${tz}`;
    case 'monthly':
      return `am ${c.dayOfMonth}. jedes Monats um ${c.at} Uhr ${tz}`;
    case 'other':
      return `nach dem Zeitplan ${code(cron)} (${isUtc(timeZone) ? 'UTC' : `Zeitzone ${timeZone}`})`;
  }
}

export const wordsDe: SecurityMdWords = {
  title: (project) => `Sicherheitsrichtlinie für ${project}`,
  goals: 'Ziele',
  scope: 'Geltungsbereich',
  handles: (team) => `${capitalize(withArticle(team, 'nom'))} bearbeitet Sicherheitsprobleme in folgenden Bereichen:`,
  doesNotHandle: 'Nicht direkt bearbeitet werden:',
  outOfScope: (area, up) => `${area}${up ? ` (dafür ist ${withArticle(up.name, 'nom')} zuständig: Meldungen an ${up.contact.replace(/^mailto:/, '')})` : ''}`,
  imagesCovered: 'Abgedeckte Images:',
  image: (name, source) => `${code(name)}${source ? ` (Quelle: ${source})` : ''}`,

  supportedVersions: 'Unterstützte Versionen',
  allMajors: 'Alle Hauptversionen erhalten Sicherheitsupdates.',
  majors: (majors) => `Unterstützte Hauptversionen: ${und(majors)}. Images nicht unterstützter Versionen erhalten keine Sicherheitsupdates.`,
  latestMinorOnly: 'Sicherheitsupdates gibt es jeweils für die neueste Nebenversion jeder unterstützten Hauptversion.',
  noPrereleases: 'Entwicklungs-, Alpha-, Beta- und Release-Candidate-Images erhalten keine Sicherheitshinweise.',
  buildTagsNewest: (patterns) =>
    `Die neuesten Patches erscheinen zuerst unter Build-Tags (${patterns.map(code).join(', ')}); das neueste Build-Tag enthält also die neuesten Sicherheitsupdates.`,
  buildTagsAll: (patterns) => `Auch Build-Tags (${patterns.map(code).join(', ')}) erhalten Sicherheitshinweise.`,
  rebuildSevereOnly:
    'Bestehende Versions-Tags werden normalerweise nicht neu gebaut: Aktualisieren Sie manuell auf ein neueres Tag. Neu gebaut werden sie nur bei schwerwiegenden Sicherheitslücken.',
  rebuildNever: 'Bestehende Versions-Tags werden nie neu gebaut: Aktualisieren Sie auf ein neueres Tag, um Korrekturen zu erhalten.',
  rolling: (tags) => `Rolling-Tags (${tags.map(code).join(', ')}) zeigen immer auf den neuesten unterstützten Build.`,

  reporting: 'Schwachstellen melden',
  reportIntro: 'Bitte melden Sie Schwachstellen vertraulich auf einem dieser Wege:',
  email: (a) => `Senden Sie eine E-Mail an [${a}](mailto:${a}).`,
  emailEncrypted: (a, keyUrl, fp) =>
    `Senden Sie eine mit OpenPGP verschlüsselte E-Mail an [${a}](mailto:${a}); verwenden Sie dafür unseren Schlüssel unter ${keyUrl} (Fingerabdruck ${code(groupHex(fp))}).`,
  webForm: (url, anonymous) => `Nutzen Sie unser vertrauliches Meldeformular unter ${url} – ohne Benutzerkonto${anonymous ? ' und auf Wunsch anonym' : ''}.`,
  githubAdvisory: (url) => `Reichen Sie eine vertrauliche Meldung über die Security-Advisory-Funktion von GitHub unter ${url} ein.`,
  gitlabIssue: (url, template) => `Legen Sie ein [vertrauliches Issue](${url})${template ? ` mit der Vorlage ${code(template)}` : ''} an.`,
  whenYouReport: 'Bitte beachten Sie bei Ihrer Meldung:',
  openpgpKey: (keyUrl, fp) => `Unser OpenPGP-Schlüssel: ${keyUrl} (Fingerabdruck ${code(groupHex(fp))}).`,
  readLanguages: (tags) => `Wir lesen Meldungen auf ${und(tags.map((t) => LANGUAGE_NAMES[t.toLowerCase().split('-')[0] ?? ''] ?? t))}.`,

  afterReport: 'Was nach Ihrer Meldung geschieht',
  within: (d, from) => `${within(d)} ${AFTER[from]}`,
  nextWindow: (from) => `${NEXT_WINDOW} ${AFTER[from]}`,
  bySeverity: (entries) => (entries.length ? ` (${und(entries.map(([sev, d]) => `${duration(d)} bei ${SEVERITY_DATIVE[sev]} Schweregrad`))})` : ''),
  stage: (stage, { when, bestEffort, automatic }) => {
    switch (stage) {
      case 'acknowledge': {
        const auto = automatic ? ' (als Bestätigung gilt auch die automatische Eingangsbestätigung mit Ihrem Link zur Nachverfolgung)' : '';
        return bestEffort ? `Wir bemühen uns, Ihre Meldung ${when} zu bestätigen${auto}.` : `Wir bestätigen Ihre Meldung ${when}${auto}.`;
      }
      case 'triage': {
        const what = 'ob die gemeldete Schwachstelle besteht und wie schwerwiegend sie ist';
        return bestEffort ? `Wir bemühen uns, ${when} zu prüfen, ${what}.` : `Wir prüfen ${when}, ${what}.`;
      }
      case 'fix':
        return bestEffort ? `Wir bemühen uns, ${when} eine Korrektur zu entwickeln und zu testen.` : `Wir entwickeln und testen ${when} eine Korrektur.`;
      case 'patch':
        return bestEffort
          ? `Wir bemühen uns, die Korrektur ${when} in einem neuen Image-Build zu veröffentlichen.`
          : `Wir veröffentlichen die Korrektur ${when} in einem neuen Image-Build.`;
    }
  },
  triagePaused: 'Solange wir auf eine Antwort von Ihnen warten, ruht die Frist für die Prüfung.',
  businessDays: (workdays, timeZone, holidayRegion) =>
    `Werktage sind ${weekdayList(workdays, ISO_DAYS, 'bis', 'und')} in der Zeitzone ${timeZone}${holidayRegion ? `, ausgenommen gesetzliche Feiertage in ${regionName(holidayRegion, 'de')}` : ''}. ` +
    'Geht eine Meldung an einem Tag ein, der kein Werktag ist, läuft die Frist ab Beginn des nächsten Werktags.',

  releases: 'Veröffentlichungen und Bekanntmachungen',
  rebuilt: (cron, tz, description) => `Unsere Images werden automatisch ${cronInWords(cron, tz)} neu gebaut.${description ? ` ${description}` : ''}`,
  windows: (windows, tz) =>
    `Sicherheitskorrekturen fließen, sofern vorhanden, ${und(
      windows.map((w) => `am ${und(w.nth.map((n) => (n === -1 ? 'letzten' : `${n}.`)))} ${WEEKDAY[w.weekday] ?? w.weekday} jedes Monats${w.time ? ` um ${w.time} Uhr` : ''}`),
    )} (${tz}) in neue Image-Builds ein (Release-Fenster für Sicherheitskorrekturen).`,
  outOfCycle: (severities, coordinateWith, description) =>
    `Ist eine Korrektur dringend (Schweregrad ${list(
      severities.map((s) => SEVERITY[s]),
      'oder',
    )}), veröffentlichen wir${coordinateWith ? ` in Zusammenarbeit mit ${withArticle(coordinateWith, 'dat')}` : ''} ein Release außerhalb des regulären Zyklus.${
      description ? ` ${description}` : ''
    }`,
  announced: (timing) =>
    timing === 'with-release'
      ? 'Sicherheitskorrekturen werden zusammen mit den neuen Image-Builds bekannt gegeben.'
      : 'Sicherheitskorrekturen werden bekannt gegeben, sobald der Sicherheitshinweis veröffentlicht ist.',
  announcementsInclude: (items) => `Die Bekanntmachungen enthalten ${und(items.map((i) => INCLUDES[i]))}.`,
  encourageUpdate: 'Wir empfehlen allen Nutzenden, auf das neueste sichere Image zu aktualisieren.',

  disclosure: 'Offenlegung',
  followsProcess: (name, url) => `Wir folgen dem Verfahren zur koordinierten Offenlegung ${fromName(name, `[${name}](${url})`)}.`,
  privateUntilFixed: ['Meldungen bleiben vertraulich, bis eine Korrektur verfügbar ist.', 'Öffentliche Bekanntmachungen erfolgen erst, wenn sichere Versionen veröffentlicht sind.'],
  maxEmbargo: (days) => `Wir streben an, Schwachstellen ${days === 1 ? 'innerhalb eines Tages' : `innerhalb von ${days} Tagen`} nach Eingang der Meldung offenzulegen.`,
  publish: (rule) =>
    ({
      'next-security-window': `Sicherheitshinweise werden ${NEXT_WINDOW} veröffentlicht, nachdem das korrigierte Image verfügbar ist.`,
      'with-release': 'Sicherheitshinweise werden mit dem Release veröffentlicht, das die Korrektur enthält.',
      immediately: 'Sicherheitshinweise werden veröffentlicht, sobald ein korrigiertes Image verfügbar ist.',
    })[rule],

  credit: 'Namensnennung',
  creditOffered: 'Auf Wunsch nennen wir Sie im Sicherheitshinweis als Melderin oder Melder – unter dem Namen Ihrer Wahl oder gar nicht.',
  creditNotOffered: 'Wir veröffentlichen keine Namen von Meldenden.',
  membership: 'Mitgliedschaft im Team',
  joinAt: (url) => `So werden Sie Mitglied: ${url}`,
  generated: '*Diese Richtlinie wurde von cvdesk aus der Richtliniendatei des Projekts erzeugt.*',
};
