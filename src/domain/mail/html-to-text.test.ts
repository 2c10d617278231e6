import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from './html-to-text.js';

describe('HTML mail to text', () => {
  it('keeps the words, drops script, style and head, breaks blocks into lines', () => {
    const html = `<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style><script>alert(1)</script></head>
      <body><h1>XSS in   the admin</h1><p>Steps:<br>1. log in<br/>2. open <b>/admin</b></p>
      <ul><li>one</li><li>two</li></ul><!-- a comment <script> --><table><tr><td>a</td><td>b</td></tr></table>
      <a href="https://example.org/poc?a=1&amp;b=2">the proof</a> <a href="javascript:alert(1)">click</a>
      <img src="cid:x" alt="screenshot"><pre>  indented
  code</pre><p>Caf&eacute; &lt;3 &#x1F600; &#0;</p></body></html>`;
    const text = htmlToText(html);
    expect(text).toBe(
      [
        'XSS in the admin',
        '',
        'Steps:',
        '1. log in',
        '2. open /admin',
        '',
        '- one',
        '',
        '- two',
        '',
        'a b',
        '',
        'the proof [https://example.org/poc?a=1&b=2] click [screenshot]',
        '  indented',
        '  code',
        '',
        'Café <3 😀 \ufffd',
      ].join('\n'),
    );
    expect(text).not.toMatch(/alert|color:red|comment/);
  });

  it('never leaves a tag: built from tags, comments and text, the output has no "<" at all', () => {
    const token = fc.constantFrom('<a href="https://x.example/">', '</a>', '<script>', '</script>', '<style>', '</style>', '<!-- ', ' -->', '<p class="x">', '</p>', '<br/>', '<img src=x onerror=alert(1)>', '<![CDATA[', ']]>', '<!DOCTYPE html>', 'text', ' ', '>', '"', '/', '=', 'alert(1)');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (parts) => {
        expect(htmlToText(parts.join(''))).not.toContain('<');
      }),
      { numRuns: 500 },
    );
  });

  it('shows a "<" that starts no tag as the text it is, as a browser does', () => {
    expect(htmlToText('1 < 2 and a<-b')).toBe('1 < 2 and a<-b');
  });

  it('decodes numeric and named references; unknown names stay', () => {
    expect(decodeEntities('&amp;&#65;&#x42;&nbsp;&bogus;&#xD800;')).toBe('&AB\u00a0&bogus;\ufffd');
  });

  it('is linear on hostile input', () => {
    const html = '<a '.repeat(50_000) + '<!--'.repeat(10_000) + '<script>'.repeat(10_000);
    expect(typeof htmlToText(html)).toBe('string');
  });
});
