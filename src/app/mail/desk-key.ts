import { unlockDeskKey, type DeskKey } from '../../adapters/pgp/pgp-decrypt.js';
import type { Context } from '../../context.js';

/**
 * The desk's private key for encrypted mail (the SMTP listener and the IMAP poller), unlocked once
 * on first use; null (with a warning) when it has none that works.
 */
export function deskKeyLoader(deps: Pick<Context, 'signingKey' | 'config' | 'log'>): () => Promise<DeskKey | null> {
  let loading: Promise<DeskKey | null> | null = null;
  return () =>
    (loading ??= deps.signingKey
      ? unlockDeskKey(deps.signingKey, deps.config.signingKeyPassphrase).catch((e: Error) => {
          deps.log.warn({ problem: e.message }, 'encrypted mail cannot be decrypted: the desk key is not usable');
          return null;
        })
      : Promise.resolve(null));
}
