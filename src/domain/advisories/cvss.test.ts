import { describe, expect, it } from 'vitest';
import { cvssSeverity, parseCvss } from './cvss.js';

describe('parseCvss: scores of known vectors', () => {
  // Scores as FIRST's calculators give them (3.1: specification §7.4 rounding; 4.0: the MacroVector lookup).
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'high'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', 3.7, 'low'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0, 'none'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 'critical'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5, 'high'],
    // reflected XSS as GitHub advisories score it (GHSA pages list 5.3); with PR:L it is 5.1
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.3, 'medium'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.1, 'medium'],
    // the example vector of the CVSS v4.0 specification, §7 "Vector String"
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N', 5.1, 'medium'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'none'],
  ])('%s = %d (%s)', (vector, score, severity) => {
    const r = parseCvss(vector);
    expect(r).toMatchObject({ ok: true, vector, score, severity });
  });

  it('a 3.1 vector with temporal metrics scores the temporal score and keeps the base score', () => {
    const r = parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C');
    expect(r).toMatchObject({ ok: true, version: '3.1', score: 9.1, baseScore: 9.8, severity: 'critical' });
  });

  it('a 4.0 vector with a threat metric scores CVSS-BT and keeps the base score', () => {
    const r = parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    expect(r).toMatchObject({ ok: true, version: '4.0', score: 8.1, baseScore: 9.3, severity: 'high' });
  });

  it('normalises: surrounding space dropped, metrics put in the specification order', () => {
    const r = parseCvss('  CVSS:3.1/A:H/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H \n');
    expect(r).toMatchObject({ ok: true, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 });
  });
});

describe('parseCvss: rejects what it cannot score faithfully', () => {
  it.each([
    ['', /empty/],
    ['garbage', /starts with "CVSS:3\.1\/" or "CVSS:4\.0\/"/],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /starts with "CVSS:3\.1\/"/],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', /CVSS 2\.0 vector/],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /CVSS 3\.0 is not accepted/],
    ['CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', /CVSS 2\.0 is not accepted/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /incomplete: the base metric A is missing/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H', /base metrics SC, SI, SA are missing/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X', /A:X leaves it open/],
    ['CVSS:3.1/AV:Z/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /Z is not a value of AV/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/FOO:B', /FOO is not a metric/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L', /AV appears more than once/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', /"" is not a metric/],
    ['CVSS:3.1/AV:N//AC:L', /"" is not a metric/],
    ['CVSS:3.1/AV=N/AC:L', /"AV=N" is not a metric/],
    // RL is a 3.1 metric, not a 4.0 one (S is: "Safety", a supplemental metric)
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O', /RL is not a metric/],
    [`CVSS:3.1/${'AV:N/'.repeat(80)}`, /at most 300 characters/],
  ])('%j', (vector, message) => {
    const r = parseCvss(vector);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('never throws, whatever the text', () => {
    for (const s of ['CVSS:', 'CVSS:3.1/', 'CVSS:4.0/:', 'CVSS:3.1/A:', '\u0000', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\u0000']) {
      expect(() => parseCvss(s)).not.toThrow();
      expect(parseCvss(s).ok).toBe(false);
    }
  });
});

describe('cvssSeverity', () => {
  it.each([
    [0, 'none'],
    [0.1, 'low'],
    [3.9, 'low'],
    [4, 'medium'],
    [6.9, 'medium'],
    [7, 'high'],
    [8.9, 'high'],
    [9, 'critical'],
    [10, 'critical'],
  ] as const)('%d is %s', (score, severity) => expect(cvssSeverity(score)).toBe(severity));
});
