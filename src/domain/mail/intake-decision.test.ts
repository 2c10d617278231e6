import { describe, expect, it } from 'vitest';
import { cleanMailLine, cleanMailText, decideIntake, isAutomatic, titleFromSubject } from './intake-decision.js';

describe('what a mail becomes', () => {
  it('threads only through a reply address; otherwise a new report; automatic mail and bounces are filed nowhere', () => {
    expect(decideIntake({ replyReports: ['r1', 'r2'], automatic: false, bounce: false })).toEqual({ kind: 'thread', reportId: 'r1' });
    expect(decideIntake({ replyReports: [], automatic: false, bounce: false })).toEqual({ kind: 'new-report' });
    expect(decideIntake({ replyReports: ['r1'], automatic: true, bounce: false }).kind).toBe('ignore');
    expect(decideIntake({ replyReports: [], automatic: false, bounce: true }).kind).toBe('ignore');
  });

  it('reads Auto-Submitted and Precedence', () => {
    expect(isAutomatic('auto-replied', null)).toBe(true);
    expect(isAutomatic('auto-generated; owner-email="x@y"', null)).toBe(true);
    expect(isAutomatic('no', null)).toBe(false);
    expect(isAutomatic(null, 'bulk')).toBe(true);
    expect(isAutomatic(null, null)).toBe(false);
  });

  it('cleans text and titles', () => {
    expect(cleanMailText('a\r\nb \u0007\u0000c\ud800  \r\n\r\n')).toBe('a\nb c\ufffd');
    expect(cleanMailLine('one\n  two\u2028three', 100)).toBe('one two three');
    expect(cleanMailLine('x'.repeat(10), 5)).toBe('xxxx…');
    expect(titleFromSubject('Re: AW: Fwd: RCE in the image')).toBe('RCE in the image');
    expect(titleFromSubject('')).toBe('Report by e-mail (no subject)');
    expect(titleFromSubject('...')).toBe('Report by e-mail (encrypted subject)');
    expect(titleFromSubject('ab')).toBe('Report by e-mail (no subject)');
    expect(titleFromSubject(undefined)).toBe('Report by e-mail (no subject)');
    expect(titleFromSubject('x'.repeat(500))).toHaveLength(200);
  });
});
