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
        'the proof <https://example.org/poc?a=1&b=2> click [screenshot]',
        '  indented',
        '  code',
        '',
        'Café <3 😀 \ufffd',
      ].join('\n'),
    );
    expect(text).not.toMatch(/alert|color:red|comment/);
  });

  it('never leaves a tag: whatever the input, no "<letter" or "</" survives that was not written as an entity', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<', '>', '/', 'a', 'b', 'script', 'p', ' ', '=', '"', '!--', '-->', 'x', '&lt;'), { maxLength: 60 }), (parts) => {
        const html = parts.join('');
        const out = htmlToText(html);
        // only decoded "&lt;" may produce a "<" followed by a letter
        if (!html.includes('&lt;')) expect(out).not.toMatch(/<[a-z/!]/i);
      }),
    );
  });

  it('decodes numeric and named references; unknown names stay', () => {
    expect(decodeEntities('&amp;&#65;&#x42;&nbsp;&bogus;&#xD800;')).toBe('&AB\u00a0&bogus;\ufffd');
  });

  it('is linear on hostile input', () => {
    const html = '<a '.repeat(50_000) + '<!--'.repeat(10_000) + '<script>'.repeat(10_000);
    expect(typeof htmlToText(html)).toBe('string');
  });
});
