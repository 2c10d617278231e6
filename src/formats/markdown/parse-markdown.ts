/**
 * A small markdown reader for the subset our own documents use (SECURITY.md): ATX headings,
 * paragraphs, bullet and numbered lists, rules, fenced code, and inline code, emphasis, links and
 * bare URLs. It yields a tree of plain strings, never HTML: whoever renders it escapes the text.
 * Policy text is inserted into those documents verbatim, so anything can arrive here; a link whose
 * target is not http(s) or mailto stays as its literal source text.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'em' | 'strong'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; id: string; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code'; text: string }
  | { type: 'rule' };

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const BLANK = /^[ \t]*$/;

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** A link target we will put in an href: absolute http(s) or mailto, as the browser would parse it. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  if (!href || /[\s<>"'`]/.test(href)) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return SAFE_SCHEMES.has(url.protocol) ? href : null;
}

/** The text of inlines, without markup: for heading ids and tables of contents. */
export function plainText(inlines: readonly Inline[]): string {
  return inlines.map((i) => (i.type === 'text' || i.type === 'code' ? i.text : plainText(i.children))).join('');
}

/** GitHub-style anchor: lower case, letters/digits/spaces/hyphens kept, spaces to hyphens. */
export function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function startsBlock(line: string): boolean {
  return HEADING.test(line) || RULE.test(line) || FENCE.test(line) || BULLET.test(line) || /^ {0,3}1[.)][ \t]+/.test(line);
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  const ids = new Map<string, number>();
  const uniqueId = (text: string): string => {
    const base = slug(text) || 'section';
    const n = ids.get(base) ?? 0;
    ids.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const children = parseInlines(heading[2] ?? '');
      blocks.push({ type: 'heading', level: (heading[1] ?? '#').length as 1, id: uniqueId(plainText(children)), children });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`).test(lines[i] ?? '')) body.push(lines[i++] ?? '');
      i++; // the closing fence (or the end of the document)
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = !bullet;
      const marker = ordered ? NUMBERED : BULLET;
      const items: string[][] = [];
      while (i < lines.length) {
        const m = marker.exec(lines[i] ?? '');
        if (m) {
          items.push([(ordered ? m[2] : m[1]) ?? '']);
          i++;
          continue;
        }
        const next = lines[i] ?? '';
        // A line that is neither blank nor a new block continues the item (lazy continuation).
        if (!BLANK.test(next) && !startsBlock(next) && !NUMBERED.test(next)) {
          items[items.length - 1]?.push(next.trim());
          i++;
          continue;
        }
        // A blank line followed by another item of the same kind keeps the list going.
        if (BLANK.test(next) && marker.test(lines[i + 1] ?? '')) {
          i++;
          continue;
        }
        break;
      }
      blocks.push({ type: 'list', ordered, start: ordered ? Number(numbered?.[1] ?? 1) : 1, items: items.map((parts) => parseInlines(parts.join('\n'))) });
      continue;
    }
    const para: string[] = [line.trim()];
    i++;
    while (i < lines.length && !BLANK.test(lines[i] ?? '') && !startsBlock(lines[i] ?? '')) para.push((lines[i++] ?? '').trim());
    blocks.push({ type: 'paragraph', children: parseInlines(para.join('\n')) });
  }
  return blocks;
}

const PUNCT = /[!-/:-@[-`{-~]/;
const URL_START = /^https?:\/\/[^\s<>"]+/i;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

/** GFM's rule for bare URLs: trailing punctuation is not part of them, nor an unbalanced ")". */
function trimAutolink(url: string): string {
  let u = url.replace(/[.,:;!?'"*_~]+$/, '');
  while (u.endsWith(')') && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1).replace(/[.,:;!?'"*_~]+$/, '');
  return u;
}

/**
 * How far a link's text and its destination may reach. Without a bound every "[" or "(" scanned to
 * the end of the text: quadratic time, seconds of CPU for a 20 KB advisory of brackets (found by
 * test/fuzz/parsers.test.ts). CommonMark caps link labels at 999 characters; URLs stay far below 4096.
 */
const MAX_LINK_TEXT = 1_000;
const MAX_LINK_DESTINATION = 4_096;

/** The index of the "]" that closes the "[" at `open`, counting nested brackets; -1 when none. */
function closingBracket(s: string, open: number): number {
  let depth = 0;
  for (let k = open; k < Math.min(s.length, open + MAX_LINK_TEXT); k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return k;
  }
  return -1;
}

/** The index of the ")" that closes a link destination starting after `open`, allowing balanced parentheses. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let k = open; k < Math.min(s.length, open + MAX_LINK_DESTINATION); k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k;
    else if (c === ' ' || c === '\n') return -1;
  }
  return -1;
}

export function parseInlines(s: string, inLink = false): Inline[] {
  const out: Inline[] = [];
  const closers = closerMemo();
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? '';
    const rest = s.slice(i);
    if (c === '\\' && PUNCT.test(s[i + 1] ?? '')) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      text += ' ';
      i++;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)?.[0] ?? '`';
      const close = s.indexOf(run, i + run.length);
      if (close > 0 && s[close + run.length] !== '`') {
        flush();
        let code = s.slice(i + run.length, close).replace(/\n/g, ' ');
        if (/^ .*[^ ].* $/.test(code)) code = code.slice(1, -1);
        out.push({ type: 'code', text: code });
        i = close + run.length;
        continue;
      }
      text += run;
      i += run.length;
      continue;
    }
    if (c === '[' && !inLink) {
      const close = closingBracket(s, i);
      if (close > 0 && s[close + 1] === '(') {
        const end = closingParen(s, close + 1);
        if (end > 0) {
          const href = safeHref(s.slice(close + 2, end));
          if (href) {
            flush();
            out.push({ type: 'link', href, children: parseInlines(s.slice(i + 1, close), true) });
          } else text += s.slice(i, end + 1); // refused target: shown as the literal source, inert
          i = end + 1;
          continue;
        }
      }
    }
    const atWordStart = i === 0 || !/[A-Za-z0-9._%+-]/.test(s[i - 1] ?? '');
    if (!inLink && atWordStart && (c === 'h' || c === 'H')) {
      const m = URL_START.exec(rest);
      const url = m ? trimAutolink(m[0]) : '';
      const href = url && safeHref(url);
      if (href) {
        flush();
        out.push({ type: 'link', href, children: [{ type: 'text', text: url }] });
        i += url.length;
        continue;
      }
    }
    if (!inLink && atWordStart && /[A-Za-z0-9]/.test(c)) {
      const m = EMAIL.exec(rest);
      if (m && !/[-_]$/.test(m[0])) {
        flush();
        out.push({ type: 'link', href: `mailto:${m[0]}`, children: [{ type: 'text', text: m[0] }] });
        i += m[0].length;
        continue;
      }
    }
    if (c === '*') {
      const strong = rest.startsWith('**');
      const marker = strong ? '**' : '*';
      const inner = s.slice(i + marker.length);
      const close = closers.find(inner, i + marker.length, marker);
      if (close > 0 && !/\s/.test(inner[0] ?? ' ')) {
        flush();
        out.push({ type: strong ? 'strong' : 'em', children: parseInlines(inner.slice(0, close), inLink) });
        i += marker.length * 2 + close;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

/**
 * findCloser over one text, remembered: whether position k closes emphasis depends only on the
 * characters around k, so the first closer at or after a start is also the first for any later
 * start up to it, and no closer after a start means none after any later start. Without this each
 * unclosed "*" scanned to the end (quadratic: 13 s for 20 KB of "**a ", found by the fuzz tests).
 */
function closerMemo() {
  const last = new Map<string, { from: number; at: number }>();
  return {
    /** findCloser(inner, marker), where inner is the text from absolute position `from` on. */
    find(inner: string, from: number, marker: string): number {
      const seen = last.get(marker);
      if (seen && from >= seen.from && (seen.at < 0 || from + 1 <= seen.at)) return seen.at < 0 ? -1 : seen.at - from;
      const k = findCloser(inner, marker);
      last.set(marker, { from, at: k < 0 ? -1 : from + k });
      return k;
    },
  };
}

/** Where emphasis closes: the marker after a non-space character (and not part of a longer run for "*"). */
function findCloser(s: string, marker: string): number {
  for (let k = 1; k < s.length; k++) {
    if (s[k - 1] === '\\') continue;
    if (s.startsWith(marker, k) && !/\s/.test(s[k - 1] ?? ' ') && (marker === '**' || (s[k + 1] !== '*' && s[k - 1] !== '*'))) return k;
  }
  return -1;
}
