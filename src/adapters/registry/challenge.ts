/**
 * WWW-Authenticate parsing (RFC 9110 section 11.6.1) for the two schemes registries use:
 * `Basic realm="..."` and `Bearer realm="...",service="...",scope="..."`. A header may hold
 * several challenges; parameters are `key=token` or `key="quoted \"string\""`.
 */
export interface Challenge {
  scheme: string; // lower-case
  params: Record<string, string>; // keys lower-case
}

export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const out: Challenge[] = [];
  let i = 0;
  const s = header;
  const skip = (re: RegExp) => {
    while (i < s.length && re.test(s[i]!)) i++;
  };
  const token = () => {
    const m = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.exec(s.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    skip(/[\s,]/);
    const scheme = token();
    if (!scheme) break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    for (;;) {
      skip(/[\s,]/);
      const start = i;
      const key = token();
      skip(/\s/);
      if (!key || s[i] !== '=') {
        // not a parameter: the next challenge starts here (or a token68, which we do not use)
        i = start;
        break;
      }
      i++;
      skip(/\s/);
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        i++;
      } else {
        value = token();
      }
      challenge.params[key.toLowerCase()] = value;
    }
    if (i === s.length) break;
    // guard against a stuck cursor on garbage
    if (!/[\s,A-Za-z0-9]/.test(s[i] ?? '')) i++;
  }
  return out;
}
