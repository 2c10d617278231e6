/**
 * The whole tag list of a repository, page by page along `Link: <...>; rel="next"` (OCI
 * distribution spec, "Listing Tags"). Bounded in pages, tags and bytes per page; a next link may
 * not leave the registry's origin (it would carry our Authorization header elsewhere) or loop.
 */
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import { tagRegexp } from '../../domain/images/reference-grammar.js';
import type { Answer } from './transport.js';
import { describeStatus } from './transport.js';

const pageSchema = z.object({ name: z.string().optional(), tags: z.array(z.string()).nullish() });

export interface ListTagsInput {
  registry: string;
  repo: string;
  firstUrl: string;
  maxTags: number;
  maxPages: number;
  get: (url: string, page: number) => Promise<Answer>;
  notFound: (answer: Answer) => AppError;
}

/** The rel="next" target of a Link header, or null. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /(?:^|;)\s*rel="?next"?\s*(?:;|$)/i.test(m[2]!)) return m[1]!;
  }
  return null;
}

export async function listAllTags(input: ListTagsInput): Promise<string[]> {
  const { registry, repo } = input;
  const origin = new URL(input.firstUrl).origin;
  const tags: string[] = [];
  const seen = new Set<string>();
  const visited = new Set<string>();
  let url: string | null = input.firstUrl;
  for (let page = 1; url; page++) {
    if (page > input.maxPages) throw new AppError('unreadable', `registry ${registry}: the tag list of ${repo} has more than ${input.maxPages} pages`);
    visited.add(url);
    const answer = await input.get(url, page);
    if (answer.status === 404) throw input.notFound(answer);
    if (answer.status !== 200) throw new AppError('unreadable', `registry ${registry} answered ${describeStatus(answer.status)} for the tag list of ${repo} (page ${page})`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(answer.body));
    } catch {
      throw new AppError('invalid_input', `registry ${registry}: page ${page} of the tag list of ${repo} is not JSON`);
    }
    const parsed = pageSchema.safeParse(json);
    if (!parsed.success) throw new AppError('invalid_input', `registry ${registry}: page ${page} of the tag list of ${repo} is not a tag list`);
    for (const tag of parsed.data.tags ?? []) {
      if (!tagRegexp.test(tag)) throw new AppError('invalid_input', `registry ${registry}: the tag list of ${repo} holds "${tag.slice(0, 150)}", which is not a valid tag`);
      // a registry that repeats the boundary tag across pages must not double it
      if (seen.has(tag)) continue;
      seen.add(tag);
      tags.push(tag);
      if (tags.length > input.maxTags) throw new AppError('unreadable', `registry ${registry}: ${repo} has more than ${input.maxTags} tags`);
    }
    const next = nextLink(answer.headers.get('link'));
    if (!next) break;
    const resolved = new URL(next, answer.url);
    if (resolved.origin !== origin) throw new AppError('unreadable', `registry ${registry}: the tag list of ${repo} points to another origin (${resolved.origin}); not following`);
    if (visited.has(resolved.href)) throw new AppError('unreadable', `registry ${registry}: the tag list of ${repo} links back to a page already read`);
    if ((parsed.data.tags ?? []).length === 0) break;
    url = resolved.href;
  }
  return tags;
}
