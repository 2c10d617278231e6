/**
 * The benchmark runner: runs every bench/*.bench.ts (or those named on the command line), prints
 * one table and writes it to bench/results/ (<date>.json and latest.md). Numbers are for comparing
 * within one run (ratios), never asserted in tests.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchResult } from './measure.js';

const num = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));

export function resultTable(rows: readonly BenchResult[]): string {
  const header = ['case', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'ratio', 'note'];
  const body = rows.map((r) => [r.name, num(r.opsPerSec), num(r.p50Ms, 1), num(r.p95Ms, 1), num(r.p99Ms, 1), r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`, r.note]);
  return [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts') && (wanted.length === 0 || wanted.some((w) => f.includes(w)))).sort();
  const rows: BenchResult[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: Bench };
    rows.push(...(await mod.default()));
  }
  const table = resultTable(rows);
  console.log(table);
  const at = new Date().toISOString();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  const out = join(here, 'results');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, `${at.replace(/[:.]/g, '-')}.json`), JSON.stringify({ at, machine, benches: files, rows }, null, 2) + '\n');
  await writeFile(join(out, 'latest.md'), `# Benchmark results\n\n${at} on ${machine}; benches: ${files.join(', ')}\n\n${table}\n`);
  console.log(`\nwritten to bench/results/ (latest.md and ${at.replace(/[:.]/g, '-')}.json)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
