import { describe, expect, it } from 'vitest';
import { decideDrift, driftTarget } from './drift.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('driftTarget', () => {
  it('reads familiar names as Docker Hub and a missing tag as latest', () => {
    expect(driftTarget({ baseName: 'php:8.3-apache', recordedBaseDigest: d('a') })).toEqual({
      ok: true,
      target: { registry: 'docker.io', repository: 'library/php', tag: '8.3-apache', recordedBaseDigest: d('a') },
    });
    expect(driftTarget({ baseName: 'me/base', recordedBaseDigest: d('a') })).toMatchObject({ ok: true, target: { registry: 'docker.io', repository: 'me/base', tag: 'latest' } });
    expect(driftTarget({ baseName: '127.0.0.1:5000/acme/base:1', recordedBaseDigest: d('a') })).toMatchObject({ ok: true, target: { registry: '127.0.0.1:5000', repository: 'acme/base', tag: '1' } });
  });

  it('takes the digest pinned in the name when no digest was recorded apart, and keeps following the tag', () => {
    expect(driftTarget({ baseName: `debian:bookworm@${d('c')}`, recordedBaseDigest: null })).toMatchObject({ ok: true, target: { tag: 'bookworm', recordedBaseDigest: d('c') } });
  });

  it.each([
    [{ baseName: null, recordedBaseDigest: null }, 'records no base image'],
    [{ baseName: '  ', recordedBaseDigest: null }, 'records no base image'],
    [{ baseName: null, recordedBaseDigest: d('a') }, 'not the base image'],
    [{ baseName: 'php:8.3', recordedBaseDigest: null }, 'but not the digest'],
    [{ baseName: 'PHP:8', recordedBaseDigest: d('a') }, 'not an image reference'],
    [{ baseName: 'php:8', recordedBaseDigest: 'sha256:abc' }, 'not a sha256 or sha512 digest'],
    [{ baseName: `php@${d('b')}`, recordedBaseDigest: d('b') }, 'pinned by digest'],
  ])('unknown for %j', (recorded, why) => {
    const t = driftTarget(recorded);
    expect(t.ok).toBe(false);
    if (t.ok) return;
    expect(t.result.status).toBe('unknown');
    expect(t.result.currentBaseDigest).toBeNull();
    expect(t.result.reason).toContain(why);
  });
});

describe('decideDrift', () => {
  const recorded = { baseName: 'php:8.3-apache', recordedBaseDigest: d('a') };

  it('up to date when the tag still points to the recorded digest', () => {
    expect(decideDrift(recorded, { digest: d('a') })).toMatchObject({ status: 'up-to-date', baseName: 'php:8.3-apache', recordedBaseDigest: d('a'), currentBaseDigest: d('a') });
  });

  it('up to date when the recorded digest is one of the platform images of the current index', () => {
    const r = decideDrift(recorded, { digest: d('f'), platformDigests: [d('e'), d('a')] });
    expect(r.status).toBe('up-to-date');
    expect(r.currentBaseDigest).toBe(d('f'));
    expect(r.reason).toContain('platform images');
  });

  it('rebuild needed when the tag moved, naming both digests', () => {
    const r = decideDrift(recorded, { digest: d('b'), platformDigests: [d('c')] });
    expect(r).toMatchObject({ status: 'rebuild-needed', recordedBaseDigest: d('a'), currentBaseDigest: d('b') });
    expect(r.reason).toContain(d('a'));
    expect(r.reason).toContain(d('b'));
  });

  it('digests compare without regard to the case of their hex', () => {
    expect(decideDrift(recorded, { digest: d('A') }).status).toBe('up-to-date');
  });

  it('unknown when nothing was recorded, whatever the registry says', () => {
    expect(decideDrift({ baseName: null, recordedBaseDigest: null }, { digest: d('a') })).toMatchObject({ status: 'unknown', currentBaseDigest: null });
  });

  it('unknown when the current digest is not known', () => {
    expect(decideDrift(recorded, null)).toMatchObject({ status: 'unknown', recordedBaseDigest: d('a'), currentBaseDigest: null });
  });
});
