/**
 * The dependency audit (`npm run audit:deps`): what `npm audit` does not say about the locked
 * dependency tree, plus `npm audit`'s own question when the registry answers it.
 *
 * For every package in package-lock.json it checks that it comes from the npm registry with a
 * sha512 integrity, lists install scripts and native binaries, reads each package's licence,
 * asks the registry whether the locked version is deprecated, and asks the registry's advisory
 * endpoint for known vulnerabilities (saying so plainly when that endpoint is not reachable).
 * Exit 1 when something needs a decision: a known advisory, a deprecated runtime package, a
 * package from elsewhere or without integrity, or a licence outside the allow-list.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
  license?: string;
}

const REGISTRY = 'https://registry.npmjs.org';
/** Permissive licences that need no review for a self-hosted Apache-2.0 project. */
const ALLOWED = new Set(['MIT', 'MIT-0', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0', 'CC0-1.0', 'Unlicense', 'Python-2.0', 'PSF-2.0']);
/**
 * Reviewed once and accepted: openpgp is LGPL-3.0+, used unmodified as a library (and served
 * unmodified to browsers from its package); date-holidays' holiday data is CC-BY-3.0, credited in
 * the README. Anything else outside ALLOWED is listed for a person to decide.
 */
const REVIEWED = new Set(['LGPL-3.0+', 'LGPL-3.0-or-later', 'CC-BY-3.0']);

const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

async function licenceOf(path: string, entry: LockEntry): Promise<string> {
  if (entry.license) return entry.license;
  try {
    const pkg = JSON.parse(await readFile(join(path, 'package.json'), 'utf8')) as { license?: string | { type?: string } };
    return typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
  } catch {
    return 'NOT INSTALLED';
  }
}

/** SPDX expressions like "(MIT OR Apache-2.0)" pass when one alternative is allowed. */
const licenceAllowed = (expr: string) =>
  expr
    .replace(/[()]/g, '')
    .split(/\s+OR\s+/)
    .some((alt) => alt.split(/\s+AND\s+/).every((l) => ALLOWED.has(l.trim()) || REVIEWED.has(l.trim())));

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

async function deprecation(name: string, version: string): Promise<string | null | 'unreachable'> {
  try {
    const res = await fetch(`${REGISTRY}/${name.replace('/', '%2f')}/${version}`, { signal: AbortSignal.timeout(20_000) });
    if (!res.ok) return 'unreachable';
    const doc = (await res.json()) as { deprecated?: string };
    return doc.deprecated ?? null;
  } catch {
    return 'unreachable';
  }
}

async function advisories(versions: Record<string, string[]>): Promise<{ reachable: boolean; status: string; found: Array<{ name: string; title: string; severity: string; url: string }> }> {
  try {
    const res = await fetch(`${REGISTRY}/-/npm/v1/security/advisories/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(versions), signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return { reachable: false, status: `HTTP ${res.status}`, found: [] };
    const body = (await res.json()) as Record<string, Array<{ title: string; severity: string; url: string }>>;
    return { reachable: true, status: 'ok', found: Object.entries(body).flatMap(([name, list]) => list.map((a) => ({ name, ...a }))) };
  } catch (e) {
    return { reachable: false, status: (e as Error).message, found: [] };
  }
}

async function main(): Promise<void> {
  const lock = JSON.parse(await readFile('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
  const entries = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
  const problems: string[] = [];
  const runtime = entries.filter(([, e]) => !e.dev);
  console.log(`${entries.length} locked packages, ${runtime.length} of them at run time (the rest only for development and tests)`);

  for (const [path, e] of entries) {
    // This machine's npm records no download addresses; where it does, they must all be the registry's.
    if (e.resolved && !e.resolved.startsWith(`${REGISTRY}/`)) problems.push(`${nameOf(path)}: not from the npm registry (${e.resolved})`);
    if (!e.integrity?.startsWith('sha512-')) problems.push(`${nameOf(path)}: no sha512 integrity in the lock file`);
  }
  const scripts = entries.filter(([, e]) => e.hasInstallScript).map(([p, e]) => `${nameOf(p)}@${e.version}${e.dev ? ' (dev)' : ''}`);
  console.log(`install scripts: ${scripts.length === 0 ? 'none' : scripts.join(', ')}`);
  const natives = entries.filter(([p, e]) => e.optional && /node_modules\/@[^/]+\/[^/]*(linux|darwin|win32)/.test(p)).map(([p]) => nameOf(p));
  console.log(`prebuilt native binaries (optional, per platform): ${natives.length}${natives.length ? ` (${[...new Set(natives.map((n) => n.split('/')[0]))].join(', ')})` : ''}`);

  const licences = await Promise.all(runtime.map(async ([p, e]) => ({ name: nameOf(p), licence: await licenceOf(p, e) })));
  const byLicence = new Map<string, number>();
  for (const l of licences) byLicence.set(l.licence, (byLicence.get(l.licence) ?? 0) + 1);
  console.log(`run-time licences: ${[...byLicence].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${n}`).join(', ')}`);
  const review = new Map(licences.filter((l) => l.licence !== 'NOT INSTALLED' && !licenceAllowed(l.licence)).map((l) => [l.name, l.licence]));
  for (const [name, licence] of review) problems.push(`${name}: licence ${licence} needs review`);

  const deprecations = await mapLimit(runtime, 8, async ([p, e]) => ({ name: nameOf(p), version: e.version ?? '', note: await deprecation(nameOf(p), e.version ?? '') }));
  const unreachable = deprecations.filter((d) => d.note === 'unreachable').length;
  for (const d of deprecations) if (d.note && d.note !== 'unreachable') problems.push(`${d.name}@${d.version}: deprecated: ${d.note}`);
  console.log(`deprecation check: ${runtime.length - unreachable} of ${runtime.length} run-time packages answered by the registry`);

  const versions: Record<string, string[]> = {};
  for (const [p, e] of entries) (versions[nameOf(p)] ??= []).push(e.version ?? '');
  const adv = await advisories(versions);
  if (adv.reachable) {
    console.log(`known advisories: ${adv.found.length}`);
    for (const a of adv.found) problems.push(`${a.name}: ${a.severity}: ${a.title} (${a.url})`);
  } else {
    console.log(`known advisories: NOT CHECKED: the registry's advisory endpoint did not answer (${adv.status}); run \`npm audit\` where it does`);
  }

  if (problems.length === 0) console.log('\nno findings');
  else console.log(`\n${problems.length} finding(s):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

await main();
