/**
 * Who publishes an advisory and where, from the policy: the project, its security policy page,
 * the CSAF publisher and the CSAF provider's folder. The desk passes its own base URL; a file
 * rendered from the command line uses --base-url, the policy's securityTxt.csaf, or the site that
 * serves the policy's security.txt at /.well-known/ (the desk serves the CSAF provider beside it).
 */
import type { Policy } from '../policy/schema.js';
import type { ProjectInfo } from './view.js';

export interface Publication {
  project: ProjectInfo;
  publisher: { name: string; namespace: string; contactDetails?: string };
  /** The CSAF provider folder (…/.well-known/csaf); null when nothing says where it is. */
  providerUrl: string | null;
}

function providerFrom(p: Policy, baseUrl: string | undefined): string | null {
  if (baseUrl) return `${baseUrl.replace(/\/+$/, '')}/.well-known/csaf`;
  if (p.securityTxt.csaf) return p.securityTxt.csaf.replace(/\/[^/]*$/, '');
  const wellKnown = p.securityTxt.canonical.map((u) => new URL(u)).find((u) => u.pathname === '/.well-known/security.txt');
  return wellKnown ? `${wellKnown.origin}/.well-known/csaf` : null;
}

export function publicationOf(p: Policy, baseUrl?: string): Publication {
  const providerUrl = providerFrom(p, baseUrl);
  const site = baseUrl?.replace(/\/+$/, '') ?? (providerUrl ? new URL(providerUrl).origin : undefined);
  const policyUrl = p.securityTxt.policy ?? (site ? `${site}/policy` : undefined);
  const emails = p.contacts.flatMap((c) => (c.type === 'email' ? [c.address] : []));
  const contactDetails = emails.length ? `E-mail: ${emails.join(', ')}` : `See ${p.securityTxt.canonical[0]}`;
  // the policy's default team name says nothing on its own
  const name = p.team.name === 'Security Team' ? `${p.project.name} Security Team` : p.team.name;
  return {
    project: { name: p.project.name, url: p.project.url, ...(policyUrl ? { policyUrl } : {}) },
    publisher: { name, namespace: site ?? new URL(p.project.url).origin, contactDetails },
    providerUrl,
  };
}
