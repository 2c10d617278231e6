import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';

/**
 * CWE names from the catalogue the CSAF validator checks against (its mandatory test 6.1.11 wants
 * the exact name for the id), so an advisory names a weakness by id alone and every output agrees.
 */
let byId: Map<string, string> | undefined;

function catalogue(): Map<string, string> {
  return (byId ??= new Map(weaknesses.map((w) => [w.id, w.name])));
}

/** "CWE-79", "cwe-79" and "79" all mean CWE-79; null when the text is no CWE id at all. */
export function normaliseCweId(text: string): string | null {
  const m = /^(?:CWE-)?(\d{1,7})$/i.exec(text.trim());
  return m ? `CWE-${Number(m[1])}` : null;
}

/** The catalogue name of a CWE id, or undefined when the catalogue does not know it. */
export const cweName = (id: string): string | undefined => catalogue().get(id);
