import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { parseInlines, parseMarkdown, safeHref, slug } from './parse-markdown.js';
import { renderMarkdown } from './render-markdown.js';

const html = (md: string): string => renderToString(h('div', null, ...renderMarkdown(md)));

describe('markdown to HTML: the subset SECURITY.md uses', () => {
  it('headings with anchor ids, paragraphs, lists, rules, emphasis and code', () => {
    const out = html(
      [
        '# Mautic security policy',
        '',
        'Some text',
        'on two lines.',
        '',
        '## What happens after you report',
        '',
        '- We will *acknowledge* it.',
        '- Tags (`main-{sha}-{ts}`) are **rebuilt**.',
        '',
        '1. First',
        '2. Second',
        '',
        '---',
        '',
        '*Generated.*',
      ].join('\n'),
    );
    expect(out).toBe(
      '<div><h1 id="mautic-security-policy">Mautic security policy</h1><p>Some text on two lines.</p>' +
        '<h2 id="what-happens-after-you-report">What happens after you report</h2>' +
        '<ul><li>We will <em>acknowledge</em> it.</li><li>Tags (<code>main-{sha}-{ts}</code>) are <strong>rebuilt</strong>.</li></ul>' +
        '<ol><li>First</li><li>Second</li></ol><hr/><p><em>Generated.</em></p></div>',
    );
  });

  it('numbered lists keep their start; blank lines between items keep one list; lazy lines continue an item', () => {
    expect(html('3. three\n\n4. four\ncontinued')).toBe('<div><ol start="3"><li>three</li><li>four continued</li></ol></div>');
  });

  it('links: markdown links, bare URLs without trailing punctuation, e-mail addresses', () => {
    expect(html('Send an e-mail to [a@example.org](mailto:a@example.org).')).toBe(
      '<div><p>Send an e-mail to <a href="mailto:a@example.org" rel="noopener noreferrer">a@example.org</a>.</p></div>',
    );
    expect(html('at https://a.example/x.')).toBe('<div><p>at <a href="https://a.example/x" rel="noopener noreferrer">https://a.example/x</a>.</p></div>');
    expect(html('(source: https://a.example/a_(b))')).toContain('<a href="https://a.example/a_(b)" rel="noopener noreferrer">https://a.example/a_(b)</a>)');
    expect(html('report at security@example.org')).toContain('<a href="mailto:security@example.org" rel="noopener noreferrer">security@example.org</a>');
    // brackets inside a link target (GitLab's confidential-issue URL)
    expect(html('[issue](https://gitlab.example/-/issues/new?issue[confidential]=on&t=x)')).toContain(
      'href="https://gitlab.example/-/issues/new?issue[confidential]=on&amp;t=x"',
    );
    // a bare URL inside link text does not nest another link
    expect(html('[https://a.example](https://b.example)')).toBe('<div><p><a href="https://b.example" rel="noopener noreferrer">https://a.example</a></p></div>');
  });

  it('long URLs and code get line-break chances after each "/" and before the query', () => {
    expect(html('at https://github.com/mautic/docker/security?a=1&b=2.')).toBe(
      '<div><p>at <a href="https://github.com/mautic/docker/security?a=1&amp;b=2" rel="noopener noreferrer">' +
        'https://github.com/<wbr/>mautic/<wbr/>docker/<wbr/>security<wbr/>?a=1<wbr/>&amp;b=2</a>.</p></div>',
    );
    expect(html('`registry.example.org/group/project/image`')).toBe('<div><p><code>registry.example.org/<wbr/>group/<wbr/>project/<wbr/>image</code></p></div>');
    expect(html('[a long label that is not a URL](https://example.org/a/b/c/d)')).toContain('>a long label that is not a URL</a>');
  });

  it('escapes HTML in every text: nothing from the source becomes markup', () => {
    const out = html('# <img src=x onerror=alert(1)>\n\n- <script>alert(1)</script>\n- `<b>`\n\n```\n<script>x</script>\n```');
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;script>alert(1)&lt;/script>');
    expect(out).toContain('<pre><code>&lt;script>x&lt;/script></code></pre>');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/',
    '/relative',
    'https://example.org/"onmouseover="x',
  ])('refuses the link target %j and shows the source as inert text', (target) => {
    const out = html(`- [click me](${target}) and more`);
    expect(out).not.toMatch(/<a /);
    expect(out).toContain('click me');
    expect(safeHref(target)).toBeNull();
  });

  it('accepts only http, https and mailto targets', () => {
    expect(safeHref('https://example.org/x')).toBe('https://example.org/x');
    expect(safeHref('http://example.org')).toBe('http://example.org');
    expect(safeHref('mailto:a@example.org')).toBe('mailto:a@example.org');
    expect(safeHref('ftp://example.org')).toBeNull();
  });

  it('heading ids are GitHub-style slugs, unique within a document, and keep German letters', () => {
    expect(slug('Was nach Ihrer Meldung geschieht')).toBe('was-nach-ihrer-meldung-geschieht');
    expect(slug('Veröffentlichungen & Bekanntmachungen')).toBe('veröffentlichungen--bekanntmachungen');
    const ids = parseMarkdown('## Scope\n\n## Scope\n\n## <b>\n').flatMap((b) => (b.type === 'heading' ? [b.id] : []));
    expect(ids).toEqual(['scope', 'scope-1', 'b']);
  });

  it('unmatched markers stay as text', () => {
    expect(parseInlines('5 * 3 and a `tick and [bracket] and *open')).toEqual([{ type: 'text', text: '5 * 3 and a `tick and [bracket] and *open' }]);
    expect(parseInlines('\\*not em\\*')).toEqual([{ type: 'text', text: '*not em*' }]);
  });
});
