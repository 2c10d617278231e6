/**
 * An HTML mail body reduced to plain text: no markup survives, so nothing of it can ever be
 * rendered as HTML. Script, style and other non-content elements are dropped with their content;
 * block elements and <br> become line breaks, list items "- ", links "text [url]" (the URL may be
 * the proof of concept); character references are decoded. Pure and linear: a hostile body cannot
 * make it backtrack.
 */

const DROP = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'select', 'textarea']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul', 'body', 'html',
]);

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '', copy: '©', reg: '®', trade: '™', hellip: '…',
  mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·',
  euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶', deg: '°', plusmn: '±', times: '×', divide: '÷', micro: 'µ',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è', aacute: 'á',
  agrave: 'à', ccedil: 'ç', ntilde: 'ñ', oacute: 'ó', iacute: 'í', uacute: 'ú', ecirc: 'ê', zwnj: '\u200c', zwj: '\u200d', ensp: ' ', emsp: ' ', thinsp: ' ',
};

/** Decodes character references; unknown names stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // NUL, surrogates and out-of-range code points become U+FFFD, as HTML parsers do
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[ref] ?? whole;
  });
}

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[2] ?? m[3] ?? m[4] ?? '') : null;
}

export function htmlToText(html: string): string {
  const out: string[] = [];
  const links: (string | null)[] = [];
  let linkStart = 0;
  let dropping: string | null = null;
  let pre = 0;
  let i = 0;
  const text = (t: string) => out.push(pre > 0 ? t : t.replace(/[ \t\r\n\f]+/g, ' '));
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      if (!dropping) text(decodeEntities(html.slice(i)));
      break;
    }
    if (!dropping && lt > i) text(decodeEntities(html.slice(i, lt)));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(lt, lt + 40));
    if (!m) {
      // "<" that starts no tag: declarations, CDATA and processing instructions are skipped to the next
      // ">" (in HTML they are bogus comments), a lone "<" is text
      if (/^<[!?]/.test(html.slice(lt, lt + 2))) {
        const end = html.indexOf('>', lt);
        i = end < 0 ? html.length : end + 1;
      } else {
        if (!dropping) text('<');
        i = lt + 1;
      }
      continue;
    }
    const end = html.indexOf('>', lt);
    const tag = html.slice(lt, end < 0 ? html.length : end + 1);
    i = end < 0 ? html.length : end + 1;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (dropping) {
      if (closing && name === dropping) dropping = null;
      continue;
    }
    if (!closing && DROP.has(name) && !tag.endsWith('/>')) {
      dropping = name;
      continue;
    }
    if (name === 'br') out.push('\n');
    else if (name === 'pre') {
      pre = Math.max(0, pre + (closing ? -1 : 1));
      out.push('\n');
    } else if (name === 'li' && !closing) out.push('\n- ');
    else if (name === 'td' || name === 'th') out.push(closing ? '' : ' ');
    else if (name === 'a') {
      if (!closing) {
        links.push(attribute(tag, 'href'));
        linkStart = out.length;
      } else {
        const href = links.pop();
        const label = out.slice(linkStart).join('').trim();
        if (href && /^(https?|ftp|mailto):/i.test(href.trim()) && href.trim() !== label && `mailto:${label}` !== href.trim()) out.push(` [${href.trim()}]`);
      }
    } else if (name === 'img' && !closing) {
      const alt = attribute(tag, 'alt');
      if (alt) text(`[${alt}]`);
    } else if (BLOCK.has(name)) out.push('\n');
  }
  return tidy(out.join(''));
}

/** Lines trimmed at their ends, no more than one blank line in a row, no blank lines at the ends. */
function tidy(s: string): string {
  return s
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, '').replace(/^ (?=\S)/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
