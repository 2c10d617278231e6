import { DomUtils, parseDocument } from 'htmlparser2';

type Element = ReturnType<typeof DomUtils.findAll>[number];

/**
 * What an HTML page must not hold once hostile text went through it, found by parsing the page
 * (htmlparser2) rather than by searching its text: script elements other than the desk's own
 * files under /assets, event-handler attributes, inline styles, frames and plugins, <base> and
 * <meta http-equiv>, and links or sources with a javascript:, vbscript: or data: address.
 * Returns one line per finding; an empty list is a clean page.
 */
export function unsafeHtml(html: string): string[] {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const findings: string[] = [];
  for (const el of DomUtils.findAll(() => true, doc.children)) {
    const name = el.name;
    if (name === 'script' && !isOwnScript(el)) findings.push(`<script> ${describe(el)}`);
    if (['iframe', 'frame', 'object', 'embed', 'base', 'applet', 'style'].includes(name)) findings.push(`<${name}> ${describe(el)}`);
    if (name === 'meta' && el.attribs['http-equiv'] !== undefined) findings.push(`<meta http-equiv> ${describe(el)}`);
    for (const [attr, value] of Object.entries(el.attribs)) {
      if (/^on/.test(attr)) findings.push(`event handler ${attr} on <${name}>`);
      if (attr === 'style') findings.push(`inline style on <${name}>`);
      // eslint-disable-next-line no-control-regex -- browsers drop control characters and spaces inside a scheme ("java\tscript:")
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'poster', 'data'].includes(attr) && /^\s*(javascript|vbscript|data):/i.test(value.replace(/[\u0000-\u001f\s]+/g, ''))) {
        findings.push(`${attr}="${value.slice(0, 60)}" on <${name}>`);
      }
    }
  }
  return findings;
}

const isOwnScript = (el: Element) => typeof el.attribs['src'] === 'string' && el.attribs['src'].startsWith('/assets/') && DomUtils.textContent(el).trim() === '';

const describe = (el: Element) => JSON.stringify(el.attribs).slice(0, 120);

/** The page's text as a browser shows it (entities decoded, markup gone), to find where a payload ended up. */
export function visibleText(html: string): string {
  return DomUtils.textContent(parseDocument(html, { decodeEntities: true }).children);
}

/** Every attribute value of the page, decoded. */
export function attributeValues(html: string): string[] {
  return DomUtils.findAll(() => true, parseDocument(html, { decodeEntities: true }).children).flatMap((el) => Object.values(el.attribs));
}
