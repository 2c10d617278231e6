import { h, type ComponentChildren } from 'preact';
import { parseInlines, parseMarkdown, type Block, type Inline } from './parse-markdown.js';

/**
 * Markdown as preact elements. Every string goes in as a text child, which preact escapes; no
 * HTML from the source is ever passed through. Links open off-site without a referrer.
 */
/** Long URLs and paths get line-break chances after each "/" (<wbr>), so they wrap on a phone instead of overflowing. */
function breakable(text: string): ComponentChildren[] {
  if (text.length <= 24) return [text];
  const parts = text.split(/(?<=[^/]\/)(?!\/)|(?=[?&])/);
  return parts.flatMap((part, k) => (k === 0 ? [part] : [h('wbr', null), part]));
}

export function renderInlines(inlines: readonly Inline[]): ComponentChildren[] {
  return inlines.map((i) => {
    switch (i.type) {
      case 'text':
        return i.text;
      case 'code':
        return h('code', null, ...breakable(i.text));
      case 'em':
        return h('em', null, ...renderInlines(i.children));
      case 'strong':
        return h('strong', null, ...renderInlines(i.children));
      case 'link': {
        const only = i.children.length === 1 ? i.children[0] : undefined;
        const children = only?.type === 'text' && /^(https?|mailto):/i.test(only.text) ? breakable(only.text) : renderInlines(i.children);
        return h('a', { href: i.href, rel: 'noopener noreferrer' }, ...children);
      }
    }
  });
}

export function renderBlocks(blocks: readonly Block[]): ComponentChildren[] {
  return blocks.map((b) => {
    switch (b.type) {
      case 'heading':
        return h(`h${b.level}`, { id: b.id }, ...renderInlines(b.children));
      case 'paragraph':
        return h('p', null, ...renderInlines(b.children));
      case 'list':
        return h(
          b.ordered ? 'ol' : 'ul',
          b.ordered && b.start !== 1 ? { start: b.start } : null,
          ...b.items.map((item) => h('li', null, ...renderInlines(item))),
        );
      case 'code':
        return h('pre', null, h('code', null, b.text));
      case 'rule':
        return h('hr', null);
    }
  });
}

/** A whole document. */
export const renderMarkdown = (source: string): ComponentChildren[] => renderBlocks(parseMarkdown(source));

/** One line of markdown (a contact line, a promise) without a paragraph around it. */
export const renderMarkdownLine = (source: string): ComponentChildren[] => renderInlines(parseInlines(source));
