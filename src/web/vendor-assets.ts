import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Third-party browser code the pages load, served from its npm package rather than copied into
 * assets/: openpgp's browser build, for encrypting reports in the reporter's browser and decrypting
 * them in the team's. The path carries the version, so it may be cached for good.
 */
const require = createRequire(import.meta.url);
// The package's "require" entry is dist/node/openpgp.min.cjs; the browser build sits in dist/.
const dist = join(dirname(require.resolve('openpgp')), '..');
const version = (JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;

export const OPENPGP_BROWSER_PATH = `/assets/vendor/openpgp-${version}.min.mjs`;

let source: Buffer | undefined;
/** The module's bytes, read on first use and kept (about 400 KB). */
export const openpgpBrowserBuild = (): Buffer => (source ??= readFileSync(join(dist, 'openpgp.min.mjs')));
