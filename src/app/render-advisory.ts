import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateCsaf, validateOsv, type Finding } from '../adapters/advisory-validation.js';
import { locateProblems, parseAdvisory, type AdvisoryProblem } from '../domain/advisories/parse-advisory.js';
import { publicationOf } from '../domain/advisories/publication.js';
import { resolveAdvisory, type InventoryTag } from '../domain/advisories/resolve.js';
import type { Advisory } from '../domain/advisories/schema.js';
import { buildAdvisoryView, type AdvisoryView } from '../domain/advisories/view.js';
import { parseReference, referenceName } from '../domain/images/index.js';
import type { Policy } from '../domain/policy/schema.js';
import { renderAdvisoryHtmlPage } from '../formats/advisory-html.js';
import { renderAdvisoryMarkdown } from '../formats/advisory-markdown.js';
import { renderCsafAdvisory, renderCsafVex, stringifyCsaf } from '../formats/csaf.js';
import { renderOsv, stringifyOsv } from '../formats/osv.js';
import { AppError } from './errors.js';
import { formatProblem, loadPolicy } from './load-policy.js';

export const ADVISORY_FORMATS = ['csaf', 'csaf-vex', 'osv', 'md', 'html'] as const;
export type AdvisoryFormat = (typeof ADVISORY_FORMATS)[number];

export interface RenderAdvisoryInput {
  file: string;
  policyFile: string;
  format: AdvisoryFormat;
  now: Date;
  baseUrl?: string;
  /** A file of image references with digests, one a line (registry/repo:tag@sha256:…); replaces the advisory's own inventory. */
  inventoryFile?: string;
  /** csaf-vex: which upstream vulnerability, when the advisory names several. */
  vulnerability?: string;
}

export interface RenderedAdvisory {
  text: string;
  /** What the validator says about a CSAF or OSV output (empty for Markdown and HTML). */
  findings: Finding[];
}

const read = (file: string, what: string): Promise<string> =>
  readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new AppError(e.code === 'ENOENT' ? 'not_found' : 'unreadable', `cannot read ${what} ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });

const invalid = (file: string, problems: AdvisoryProblem[]): AppError => {
  const n = problems.length;
  return new AppError('invalid_input', `${file} is not a valid advisory (${n} problem${n === 1 ? '' : 's'}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`, problems);
};

/** Reads an inventory file: one image reference with tag and digest a line; # comments. */
export function parseInventory(text: string, file: string): Map<string, InventoryTag[]> {
  const byImage = new Map<string, InventoryTag[]>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const r = parseReference(line);
    if (!r.ok || !r.ref.tag || !r.ref.digest || !r.ref.domain) {
      throw new AppError('invalid_input', `${file}:${i + 1}: "${line}" is not registry/repository:tag@digest${r.ok ? '' : ` (${r.message})`}`);
    }
    const name = referenceName(r.ref);
    const tags = byImage.get(name) ?? [];
    tags.push({ tag: r.ref.tag, digest: r.ref.digest });
    byImage.set(name, tags);
  });
  return byImage;
}

let version: string | undefined;
function cvdeskVersion(): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
  return (version ??= (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version);
}

/** The advisory file, parsed and resolved against the inventory under the policy's support rule. */
export async function loadAdvisoryView(input: Pick<RenderAdvisoryInput, 'file' | 'now' | 'inventoryFile' | 'baseUrl'>, policy: Policy): Promise<{ advisory: Advisory; view: AdvisoryView }> {
  const text = await read(input.file, 'advisory file');
  const parsed = parseAdvisory(text, input.file);
  if (!parsed.ok) throw invalid(input.file, parsed.problems);
  const inventories = input.inventoryFile ? parseInventory(await read(input.inventoryFile, 'inventory file'), input.inventoryFile) : new Map<string, InventoryTag[]>();
  const resolved = resolveAdvisory(parsed.advisory, inventories, { tags: policy.tags, support: policy.support, images: policy.project.images.map((i) => i.name) });
  if (resolved.problems.length) throw invalid(input.file, locateProblems(text, input.file, resolved.problems));
  const { project } = publicationOf(policy, input.baseUrl);
  return { advisory: parsed.advisory, view: buildAdvisoryView(parsed.advisory, resolved.images, { now: input.now, project }) };
}

export async function renderAdvisory(input: RenderAdvisoryInput): Promise<RenderedAdvisory> {
  const policy = await loadPolicy(input.policyFile);
  const { advisory, view } = await loadAdvisoryView(input, policy);
  switch (input.format) {
    case 'md':
      return { text: renderAdvisoryMarkdown(view), findings: [] };
    case 'html':
      return { text: renderAdvisoryHtmlPage(view), findings: [] };
    case 'osv': {
      const record = renderOsv(view);
      return { text: stringifyOsv(record), findings: validateOsv(record).findings };
    }
    case 'csaf':
    case 'csaf-vex': {
      const pub = publicationOf(policy, input.baseUrl);
      if (!pub.providerUrl) {
        throw new AppError('invalid_input', `a CSAF document names its own URL: give --base-url (where the desk serves /.well-known/csaf/), or set securityTxt.csaf in ${input.policyFile}`);
      }
      const options = { now: input.now, publisher: pub.publisher, providerUrl: pub.providerUrl, generator: { name: 'cvdesk', version: cvdeskVersion() } };
      let doc;
      if (input.format === 'csaf') doc = renderCsafAdvisory(view, options);
      else {
        if (advisory.upstream.length === 0) throw new AppError('invalid_input', `csaf-vex is for an upstream (base-image) vulnerability, and ${input.file} names none under upstream`);
        const id = input.vulnerability ?? (advisory.upstream.length === 1 ? advisory.upstream[0] : undefined);
        if (!id || !advisory.upstream.includes(id)) throw new AppError('invalid_input', `name the vulnerability for the VEX document with --vulnerability, one of ${advisory.upstream.join(', ')}`);
        doc = renderCsafVex(view, id, options);
      }
      const report = await validateCsaf(doc);
      return { text: stringifyCsaf(doc), findings: report.findings };
    }
  }
}
