/**
 * The progress display of `cvdesk images sync`: a bar redrawn in place on a terminal (never wider
 * than it, never more often than every 100 ms, always at the end), plain lines every few seconds
 * elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { barLine, createProgress } from '../../src/cli/progress.js';

function terminal(columns = 80) {
  const writes: string[] = [];
  const lines: string[] = [];
  let t = 0;
  return {
    writes,
    lines,
    tick: (ms: number) => (t += ms),
    io: { err: (s: string) => void lines.push(s), errTerminal: { write: (raw: string) => void writes.push(raw), columns } },
    now: () => t,
  };
}

describe('progress on a terminal', () => {
  it('redraws one line with a bar, throttled, and always draws the end', () => {
    const term = terminal();
    const p = createProgress(term.io, { now: term.now });
    p.update('127.0.0.1:5000/acme/app', 0, 2000);
    for (let i = 1; i < 2000; i++) {
      term.tick(1);
      p.update('127.0.0.1:5000/acme/app', i, 2000);
    }
    p.update('127.0.0.1:5000/acme/app', 2000, 2000);
    // 2 s of work at 1 ms per item: about one redraw per 100 ms, plus the first and the last
    expect(term.writes.length).toBeGreaterThanOrEqual(20);
    expect(term.writes.length).toBeLessThanOrEqual(23);
    expect(term.writes[0]).toBe(`\r127.0.0.1:5000/acme/app [${'.'.repeat(38)}] 0/2000 0%\x1b[K`);
    expect(term.writes.at(-1)).toBe(`\r127.0.0.1:5000/acme/app [${'#'.repeat(38)}] 2000/2000 100%\x1b[K`);
    p.note('done');
    expect(term.writes.at(-1)).toBe('\r\x1b[K'); // the bar is cleared before a line that stays
    expect(term.lines).toEqual(['done']);
    p.finish();
    expect(term.writes.filter((w) => w === '\r\x1b[K')).toHaveLength(1); // nothing left to clear
  });

  it('never draws wider than the terminal, however long the name', () => {
    for (const columns of [20, 40, 80, 200]) {
      for (const label of ['a', 'registry.example.org/some/very/long/repository/name/that/goes/on']) {
        for (const [done, total] of [[0, 0], [5, 10], [99999, 100000]] as const) {
          expect(barLine(label, done, total, columns).length).toBeLessThan(columns);
        }
      }
    }
    // the bar shrinks to fit 40 columns, as wide as "10/10 100%" allows
    expect(barLine('x', 5, 10, 40)).toBe(`x [${'#'.repeat(12)}${'.'.repeat(12)}] 5/10 50%`);
    // no room for a bar: the name loses its start, the counts stay
    expect(barLine('registry.example.org/some/very/long/name', 5, 10, 40)).toBe('\u2026ample.org/some/very/long/name 5/10 50%');
  });
});

describe('progress elsewhere (a log, CI)', () => {
  it('writes a plain line at the start of a step, every few seconds, and at its end', () => {
    const t = terminal();
    const io = { err: t.io.err };
    const p = createProgress(io, { now: t.now, plainIntervalMs: 5000 });
    p.update('acme/app', 0, 1000);
    for (let i = 1; i <= 1000; i++) {
      t.tick(12);
      p.update('acme/app', i, 1000);
    }
    p.update('acme/other', 0, 2);
    expect(t.lines).toEqual(['acme/app: 0/1000 (0%)', 'acme/app: 417/1000 (41%)', 'acme/app: 834/1000 (83%)', 'acme/app: 1000/1000 (100%)', 'acme/other: 0/2 (0%)']);
    expect(t.writes).toEqual([]);
  });
});
