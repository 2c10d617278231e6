import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32, replyAddressFor, reportForReplyAddress } from '../../src/app/mail/reply-token.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport } from '../support/fixtures.js';

describe('per-report reply addresses', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ env: { CVDESK_POLICY: 'examples/policies/ozg-security-scanner.yaml' } });
  });
  afterAll(() => desk?.close());

  it('base32 is RFC 4648 (lower case, no padding)', () => {
    // RFC 4648 section 10 test vectors
    expect(base32(Buffer.from(''))).toBe('');
    expect(base32(Buffer.from('f'))).toBe('my');
    expect(base32(Buffer.from('foob'))).toBe('mzxw6yq');
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
  });

  it("is the first e-mail contact with r<number>-<HMAC of the report id>, and leads back to that report only", async () => {
    const report = await insertReport(desk.ctx.db);
    const other = await insertReport(desk.ctx.db);
    const address = replyAddressFor(desk.ctx, report)!;
    const mac = base32(createHmac('sha256', desk.ctx.secretKey).update(`reply:${report.id}`).digest()).slice(0, 20);
    expect(address).toBe(`ozgsec+r${report.number}-${mac}@bmi.bund.de`);
    expect(await reportForReplyAddress(desk.ctx, address)).toEqual({ id: report.id });
    expect(await reportForReplyAddress(desk.ctx, `<${address.toUpperCase()}>`)).toEqual({ id: report.id });
    // the same tag on the policy's other mailbox is also ours
    expect(await reportForReplyAddress(desk.ctx, address.replace('@bmi.bund.de', '@neuland-homeland.de'))).toEqual({ id: report.id });
    // another report's number with this MAC, a changed MAC, a foreign domain, no tag: nothing
    expect(await reportForReplyAddress(desk.ctx, address.replace(`+r${report.number}-`, `+r${other.number}-`))).toBeNull();
    const flipped = address.replace(/-(.)/, (_, c: string) => `-${c === 'a' ? 'b' : 'a'}`);
    expect(await reportForReplyAddress(desk.ctx, flipped)).toBeNull();
    expect(await reportForReplyAddress(desk.ctx, address.replace('bmi.bund.de', 'evil.test'))).toBeNull();
    expect(await reportForReplyAddress(desk.ctx, 'ozgsec@bmi.bund.de')).toBeNull();
    expect(await reportForReplyAddress(desk.ctx, `ozgsec+r999999-${mac}@bmi.bund.de`)).toBeNull();
  });

  it('is null when the policy has no e-mail contact', () => {
    const policy = { ...desk.ctx.policy, contacts: desk.ctx.policy.contacts.filter((c) => c.type !== 'email') };
    expect(replyAddressFor({ policy, secretKey: desk.ctx.secretKey }, { id: 'x', number: 1 })).toBeNull();
  });
});
