import { deskPublicKeyOf, type DeskPublicKey } from '../adapters/pgp/sealed-message.js';
import type { Context } from '../context.js';

type Deps = Pick<Context, 'signingKey' | 'policy' | 'config' | 'log'>;

const keys = new WeakMap<object, Promise<DeskPublicKey | null>>();

/**
 * The public half of the desk's key (CVDESK_SIGNING_KEY_FILE) for reporters' browsers to encrypt
 * to, read once per context. None (null) without a key, with a key that cannot be read, or with one
 * that is not the policy's `openpgp` key: a reporter must never encrypt to a key the policy does
 * not name. The private half is never unlocked for this; the desk does not decrypt these reports.
 */
export function deskPublicKey(deps: Deps): Promise<DeskPublicKey | null> {
  const armored = deps.signingKey;
  if (armored === null) return Promise.resolve(null);
  let key = keys.get(deps.config);
  if (!key) {
    const expected = deps.policy.openpgp?.fingerprint.replace(/\s+/g, '').toUpperCase() ?? null;
    key = deskPublicKeyOf(armored).then(
      (k) => {
        if (expected === null || k.fingerprint === expected) return k;
        deps.log.warn({ key: k.fingerprint, policy: expected }, "browser encryption is off: the desk's key is not the policy's openpgp key");
        return null;
      },
      (e: Error) => {
        deps.log.warn({ problem: e.message.slice(0, 200) }, "browser encryption is off: the desk's key cannot be read");
        return null;
      },
    );
    keys.set(deps.config, key);
  }
  return key;
}
