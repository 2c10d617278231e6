import ae from 'ae-cvss-calculator';

/**
 * CVSS vectors as the desk accepts them: version 3.1 or 4.0, every base metric given once, with a
 * defined value. The calculator library is lenient (it takes "CVSS:3.0/" or no prefix as 3.1,
 * lets a repeated metric overwrite the first, treats "A:X" as "not given"), so the syntax is
 * checked here first and the library only scores what passed.
 */
export type CvssVersion = '3.1' | '4.0';
export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export type CvssResult =
  | {
      ok: true;
      version: CvssVersion;
      /** Metrics in the specification's order, with the version prefix. */
      vector: string;
      /** The score of the vector as written (CVSS 3.1: environmental, else temporal, else base; 4.0: the one score). */
      score: number;
      /** The base score alone (for 4.0 the CVSS-B score of the base metrics). */
      baseScore: number;
      severity: CvssSeverity;
    }
  | { ok: false; message: string };

export const CVSS_MAX_LENGTH = 300;

const BASE_METRICS: Record<CvssVersion, readonly string[]> = {
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

const PART = /^([A-Za-z]{1,4}):([A-Za-z]{1,2})$/;

/** Qualitative severity rating, the same bands in CVSS 3.1 and 4.0. */
export function cvssSeverity(score: number): CvssSeverity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

export function parseCvss(input: string): CvssResult {
  const text = input.trim();
  if (text === '') return fail('the CVSS vector is empty');
  if (text.length > CVSS_MAX_LENGTH) return fail(`a CVSS vector is at most ${CVSS_MAX_LENGTH} characters`);
  const prefix = /^CVSS:(\d+\.\d+)\//.exec(text);
  if (!prefix) {
    return /^\(?AV:[LAN]\/AC:[HML]\/Au:/.test(text)
      ? fail('this is a CVSS 2.0 vector; give a CVSS 3.1 or 4.0 vector')
      : fail('a CVSS vector starts with "CVSS:3.1/" or "CVSS:4.0/", e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  }
  const version = prefix[1];
  if (version !== '3.1' && version !== '4.0') {
    return fail(`CVSS ${version} is not accepted; give a CVSS 3.1 or 4.0 vector (a 3.0 vector usually scores the same as 3.1: check it and change the prefix)`);
  }
  const parts = text.slice(prefix[0].length).split('/');
  const seen = new Set<string>();
  for (const part of parts) {
    const m = PART.exec(part);
    if (!m) return fail(`"${part}" is not a metric; metrics are written like AV:N and separated by "/"`);
    if (seen.has(m[1]!)) return fail(`the metric ${m[1]} appears more than once`);
    seen.add(m[1]!);
  }
  const base = BASE_METRICS[version];
  const missing = base.filter((k) => !seen.has(k));
  if (missing.length > 0) return fail(`the vector is incomplete: the base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
  const undefinedBase = parts.map((p) => p.split(':')).filter(([k, v]) => base.includes(k!) && v === 'X');
  if (undefinedBase.length > 0) return fail(`base metrics need a value; ${undefinedBase.map(([k]) => `${k}:X`).join(', ')} leaves it open`);

  let calc: InstanceType<typeof ae.Cvss3P1> | InstanceType<typeof ae.Cvss4P0>;
  try {
    calc = version === '3.1' ? new ae.Cvss3P1(text) : new ae.Cvss4P0(text);
  } catch (e) {
    return fail(`the vector is not valid CVSS ${version}: ${libraryMessage(e)}`);
  }
  if (!calc.isBaseFullyDefined()) return fail(`the vector is incomplete: every CVSS ${version} base metric needs a value`);
  const scores = calc.calculateScores();
  const score = scores.overall;
  const baseScore = 'baseMetricsOnly' in scores ? (scores.baseMetricsOnly ?? score) : (scores.base ?? score);
  if (!Number.isFinite(score) || score < 0 || score > 10) return fail('the vector could not be scored');
  return { ok: true, version, vector: calc.toString(), score, baseScore, severity: cvssSeverity(score) };
}

function fail(message: string): CvssResult {
  return { ok: false, message };
}

/** The library's messages name the metric and value ("Unknown component value Z for component AV"). */
function libraryMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const value = /Unknown component value (\S+) for component (\S+)/.exec(m);
  if (value) return `${value[1]} is not a value of ${value[2]}`;
  const component = /Unknown component (\S+)/.exec(m);
  if (component) return `${component[1]} is not a metric of this version`;
  return 'it could not be read';
}
