/**
 * Progress for long commands, on standard error. On a terminal: one line redrawn in place
 * ("label [#####.....] 1200/2000 60%"), at most every 100 ms. Elsewhere (a log file, CI): a plain
 * line at most every few seconds, so logs show that work moves without one line per item.
 */
import type { CliIo } from './io.js';

export interface Progress {
  /** `done` of `total` items of the step named `label`. */
  update(label: string, done: number, total: number): void;
  /** A line that stays (the bar, if drawn, is cleared first). */
  note(text: string): void;
  /** Clears the bar; later output starts on a clean line. */
  finish(): void;
}

export interface ProgressOptions {
  now?: () => number;
  /** Between plain lines when standard error is not a terminal. */
  plainIntervalMs?: number;
  /** Between redraws on a terminal. */
  redrawMs?: number;
}

const percent = (done: number, total: number) => (total === 0 ? 100 : Math.floor((done / total) * 100));

/**
 * The bar line for a terminal `columns` wide: never wider (so it never wraps), the bar as wide as
 * the final counts allow (so it does not jitter as they grow), a long name shortened from its start.
 */
export function barLine(label: string, done: number, total: number, columns: number): string {
  const counts = ` ${done}/${total} ${percent(done, total)}%`;
  const widest = ` ${total}/${total} 100%`.length;
  const fit = (name: string, room: number) => (name.length <= room ? name : room <= 1 ? '' : `\u2026${name.slice(name.length - room + 1)}`);
  const width = Math.min(40, columns - 1 - widest - label.length - 3);
  if (width < 5) return `${fit(label, Math.max(0, columns - 1 - counts.length))}${counts}`.slice(0, Math.max(0, columns - 1));
  const filled = total === 0 ? width : Math.round((Math.min(done, total) / total) * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${counts}`;
}

export function createProgress(io: Pick<CliIo, 'err' | 'errTerminal'>, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const term = io.errTerminal;
  const plainEvery = options.plainIntervalMs ?? 5000;
  const redrawEvery = options.redrawMs ?? 100;
  let drawn = false;
  let last = -Infinity;
  let lastLabel = '';

  const clear = () => {
    if (term && drawn) term.write('\r\x1b[K');
    drawn = false;
  };

  return {
    update(label, done, total) {
      const t = now();
      const complete = done >= total;
      const newStep = label !== lastLabel;
      if (term) {
        if (!complete && !newStep && t - last < redrawEvery) return;
        term.write(`\r${barLine(label, done, total, term.columns)}\x1b[K`);
        drawn = true;
      } else {
        // the first report of a step and its end are always written; in between, every few seconds
        if (!newStep && !complete && t - last < plainEvery) return;
        io.err(`${label}: ${done}/${total} (${percent(done, total)}%)`);
      }
      last = t;
      lastLabel = label;
    },
    note(text) {
      clear();
      io.err(text);
    },
    finish: clear,
  };
}
