import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../src/adapters/registry/challenge.js';
import { createLimit } from '../../src/adapters/registry/limit.js';
import { parsePlatform, selectPlatform, type ImageIndex } from '../../src/adapters/registry/manifest.js';
import { retryAfterMs } from '../../src/adapters/registry/retry.js';
import { nextLink } from '../../src/adapters/registry/tags.js';

describe('WWW-Authenticate', () => {
  it('reads Docker Hub style Bearer challenges, with quoted commas and escapes', () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/redis:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/redis:pull,push' } },
    ]);
    expect(parseChallenges('Basic realm="say \\"hi\\""')).toEqual([{ scheme: 'basic', params: { realm: 'say "hi"' } }]);
  });

  it('splits several challenges in one header and tolerates tokens and spaces', () => {
    expect(parseChallenges('Basic realm=reg, Bearer realm="https://a/t" , service = svc')).toEqual([
      { scheme: 'basic', params: { realm: 'reg' } },
      { scheme: 'bearer', params: { realm: 'https://a/t', service: 'svc' } },
    ]);
    expect(parseChallenges(null)).toEqual([]);
    expect(parseChallenges('"""')).toEqual([]);
  });
});

describe('Link rel="next"', () => {
  it('finds the next target among several links', () => {
    expect(nextLink('</v2/x/tags/list?n=2&last=b>; rel="next"')).toBe('/v2/x/tags/list?n=2&last=b');
    expect(nextLink('<https://r/prev>; rel="prev", <https://r/next?a=1,2>; rel=next')).toBe('https://r/next?a=1,2');
    expect(nextLink('<https://r/p>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('concurrency limit', () => {
  it('never runs more than max at once, and runs everything', async () => {
    const limit = createLimit(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          if (i === 4) throw new Error('one fails');
          return i;
        }).catch(() => -1),
      ),
    );
    expect(peak).toBe(3);
    expect(results.filter((r) => r === -1)).toHaveLength(1);
    expect(results.filter((r) => r >= 0)).toHaveLength(19);
    expect(() => createLimit(0)).toThrow(RangeError);
  });
});

describe('platforms', () => {
  const d = (n: string) => `sha256:${n.repeat(64)}`;
  const index: ImageIndex = {
    schemaVersion: 2,
    manifests: [
      { mediaType: 'm', digest: d('1'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: 'm', digest: d('2'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
      { mediaType: 'm', digest: d('3'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: 'm', digest: d('4'), size: 1, platform: { os: 'linux', architecture: 'arm64' } },
      { mediaType: 'm', digest: d('5'), size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
    ],
  };
  it('parses os/arch[/variant] and picks the matching entry', () => {
    expect(parsePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(parsePlatform('linux')).toBeNull();
    expect(parsePlatform('linux/arm/v7/x')).toBeNull();
    expect(selectPlatform(index, parsePlatform('linux/arm/v7')!)?.digest).toBe(d('3'));
    expect(selectPlatform(index, parsePlatform('linux/arm64/v8')!)?.digest).toBe(d('4'));
    expect(selectPlatform(index, parsePlatform('linux/amd64')!)?.digest).toBe(d('1'));
    expect(selectPlatform(index, parsePlatform('windows/amd64')!)).toBeNull();
  });
});
