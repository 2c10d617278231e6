/**
 * The benchmark runner: runs every bench/*.bench.ts (or those named on the command line) and prints
 * one table. Numbers are for comparing within one run (ratios), never asserted in tests.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchResult } from './measure.js';

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts') && (wanted.length === 0 || wanted.some((w) => f.includes(w)))).sort();
  const rows: BenchResult[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: Bench };
    rows.push(...(await mod.default()));
  }
  const w = Math.max(4, ...rows.map((r) => r.name.length));
  console.log(`${'case'.padEnd(w)}  ${'ops/s'.padStart(12)}  note`);
  for (const r of rows) console.log(`${r.name.padEnd(w)}  ${(r.opsPerSec === null ? '—' : r.opsPerSec.toFixed(0)).padStart(12)}  ${r.note}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
