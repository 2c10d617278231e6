import { readFile } from 'node:fs/promises';
import { Document, isPair, isScalar, Scalar, visit } from 'yaml';
import { ghsaToAdvisory, readGhsa, type GhsaImport, type ImportPolicy } from '../formats/ghsa.js';
import { AppError } from './errors.js';
import { loadPolicy } from './load-policy.js';

/** A GitHub advisory record's text as a cvdesk advisory: the import and its review notes. */
export function importGhsa(text: string, file: string, policy?: ImportPolicy): GhsaImport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError('invalid_input', `${file} is not JSON: ${(e as Error).message}`);
  }
  const read = readGhsa(json);
  if (!read.ok) throw new AppError('invalid_input', `${file}: ${read.message}`);
  return ghsaToAdvisory(read.record, policy);
}

const QUOTED = new Set(['introduced', 'fixed', 'lastAffected', 'fixedVersion', 'tag']);

/** The import as an advisory YAML file; the notes head it as comments for the team to work through. */
export function advisoryYaml(imported: GhsaImport, source: string): string {
  const doc = new Document(imported.advisory);
  // versions and tags stay strings when read back ("6.0" is a number to YAML)
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && QUOTED.has(String(pair.key.value)) && isScalar(pair.value)) pair.value.type = Scalar.QUOTE_DOUBLE;
    },
  });
  const header = [` Imported by cvdesk from ${source} (GitHub advisory ${imported.advisory.aliases?.[0] ?? imported.advisory.upstream?.[0] ?? imported.advisory.id}).`];
  if (imported.notes.length) header.push(' Review before publishing:', ...imported.notes.map((n) => ` - ${n.field}: ${n.message}`));
  doc.commentBefore = header.join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** `cvdesk advisory import`: the record's text (read by the caller) and, with a policy, packages mapped to its images. */
export async function importGhsaText(text: string, source: string, policyFile?: string): Promise<GhsaImport> {
  const policy = policyFile ? await loadPolicy(policyFile) : undefined;
  return importGhsa(text, source, policy ? { images: policy.project.images } : undefined);
}

export const readRecordFile = (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new AppError(e.code === 'ENOENT' ? 'not_found' : 'unreadable', `cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
