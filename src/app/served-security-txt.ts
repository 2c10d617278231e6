import type { Context } from '../context.js';
import { securityTxtFields } from '../domain/policy/security-txt-fields.js';
import { sha256Hex } from './audit.js';
import { renderPolicySecurityTxt } from './render-policy-security-txt.js';

export interface ServedSecurityTxt {
  text: string;
  expires: string;
  renderedAt: string;
  signed: boolean;
  /** What the file says apart from Expires: a change of policy or base URL renders it anew. */
  contentDigest: string;
}

const KEY = 'security_txt';

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'signingKey' | 'clock'>;

/** The desk is a CSAF provider (src/web/routes/csaf-provider.ts): security.txt points to its metadata. */
const csafField = (deps: Deps): string => new URL('.well-known/csaf/provider-metadata.json', deps.config.baseUrl).toString();

/** Digests by policy object: a desk's policy, base URL and key are fixed for its lifetime, and every request asks. */
const digests = new WeakMap<Deps['policy'], { baseUrl: string; signed: boolean; digest: string }>();

function contentDigest(deps: Deps): string {
  const baseUrl = deps.config.baseUrl.toString();
  const signed = deps.signingKey !== null;
  const known = digests.get(deps.policy);
  if (known && known.baseUrl === baseUrl && known.signed === signed) return known.digest;
  const r = securityTxtFields(deps.policy, new Date(0), baseUrl);
  const fields = r.ok ? { ...r.fields, csaf: r.fields.csaf ?? [csafField(deps)], expires: undefined } : { error: r.message };
  const digest = sha256Hex(JSON.stringify({ fields, signed }));
  digests.set(deps.policy, { baseUrl, signed, digest });
  return digest;
}

/**
 * The security.txt the desk serves: rendered once and stored, so that its Expires is a real date
 * that a renewal job moves forward (and re-signs), not a moving "now + period" on every request.
 */
export async function servedSecurityTxt(deps: Deps): Promise<ServedSecurityTxt> {
  const row = await deps.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const stored = row?.value as ServedSecurityTxt | undefined;
  const digest = contentDigest(deps);
  if (stored && stored.contentDigest === digest && new Date(stored.expires) > deps.clock()) return stored;
  return renewSecurityTxt(deps, digest);
}

/** Renders, signs when a key is configured, and stores a fresh security.txt. */
export async function renewSecurityTxt(deps: Deps, digest = contentDigest(deps)): Promise<ServedSecurityTxt> {
  const now = deps.clock();
  const { text, expires } = await renderPolicySecurityTxt(deps.policy, {
    now,
    baseUrl: deps.config.baseUrl.toString(),
    csaf: csafField(deps),
    ...(deps.signingKey
      ? { signKey: { armored: deps.signingKey, name: 'CVDESK_SIGNING_KEY_FILE', ...(deps.config.signingKeyPassphrase !== null ? { passphrase: deps.config.signingKeyPassphrase } : {}) } }
      : {}),
  });
  const served: ServedSecurityTxt = { text, expires: expires.toISOString(), renderedAt: now.toISOString(), signed: deps.signingKey !== null, contentDigest: digest };
  await deps.db
    .insertInto('settings')
    .values({ key: KEY, value: served, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: served, updated_at: now }))
    .execute();
  return served;
}
