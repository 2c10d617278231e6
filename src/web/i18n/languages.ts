import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';

/** The languages the desk's public pages are written in; a policy's languages pick among them. */
export const UI_LANGUAGES = ['en', 'de'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

const isUi = (l: string): l is UiLanguage => (UI_LANGUAGES as readonly string[]).includes(l);

/** The policy's preferred languages that the desk can show, in the policy's order; English when none. */
export function offeredLanguages(policyLanguages: readonly string[]): UiLanguage[] {
  const out = policyLanguages.map((l) => l.toLowerCase().split('-')[0]!).filter(isUi);
  return out.length > 0 ? [...new Set(out)] : ['en'];
}

/** The visitor's choice: ?lang=, then the lang cookie, then Accept-Language, then the policy's first. */
export function pickLanguage(req: FastifyRequest, offered: readonly UiLanguage[]): UiLanguage {
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.lang;
  const candidates = [typeof fromQuery === 'string' ? fromQuery : undefined, req.cookies?.lang, ...acceptLanguages(req.headers['accept-language'])];
  for (const c of candidates) {
    const l = c?.toLowerCase().split('-')[0];
    if (l && (offered as readonly string[]).includes(l)) return l as UiLanguage;
  }
  return offered[0] ?? 'en';
}

function acceptLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
}
