/**
 * Text that may not be what it looks like: an address whose letters come from more than one
 * script (Latin "paypal" with Cyrillic "а" reads the same and is another mailbox), or text with
 * invisible direction overrides and zero-width characters (which reorder or hide what is shown).
 * The desk stores such text as sent; the team page marks it, so nobody trusts it at a glance.
 */

const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

// Bidi embeddings, overrides and isolates; zero-width space, joiners, word joiner and BOM; soft hyphen.
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF\u00AD]/u;

/** The scripts of the letters of `text` that look-alike attacks mix, in the order listed above. */
export function scriptsOf(text: string): string[] {
  return SCRIPTS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

/** Why `text` may not be what it looks like, or null. */
export function lookAlikeWarning(text: string): string | null {
  if (INVISIBLE.test(text)) return 'holds invisible characters (direction overrides or zero-width characters)';
  const scripts = scriptsOf(text);
  return scripts.length > 1 ? `mixes letters of ${scripts.join(' and ')}: it may imitate another address` : null;
}
