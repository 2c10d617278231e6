/**
 * The grammar of image references (registry/repo:tag@digest), written from the rules that the
 * distribution/reference test tables encode. Everything is a RegExp built from small parts so each
 * rule can be read on its own.
 */

const alphanumeric = '[a-z0-9]+';
// one dot, one or two underscores, or any run of dashes
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;

const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
// IPv6 literals in brackets; zone ids (%eth0) are deliberately not allowed
const ipv6Address = '\\[(?:[a-fA-F0-9:]+)\\]';
const host = `(?:${domainName}|${ipv6Address})`;
const domainAndPort = `${host}(?::[0-9]+)?`;

const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const name = `(?:${domainAndPort}/)?${remoteName}`;

/** Anchored host[:port]. */
export const domainRegexp = new RegExp(`^${domainAndPort}$`);
/** Anchored repository name; groups: 1 = domain (may be undefined), 2 = path. */
export const nameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
/** Anchored full reference; groups: 1 = name, 2 = tag, 3 = digest. */
export const referenceRegexp = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);
/** Anchored tag. */
export const tagRegexp = new RegExp(`^${tag}$`);
/** Anchored digest syntax (algorithm:hex, at least 32 hex digits); says nothing about the algorithm. */
export const digestRegexp = new RegExp(`^${digest}$`);
/** A bare 64-hex image id. */
export const identifierRegexp = /^[a-f0-9]{64}$/;

/** Longest repository path (without the registry host) a reference may have. */
export const NAME_TOTAL_LENGTH_MAX = 255;

/**
 * Digest algorithms we accept, with their hex length. sha256 and sha512 are the two algorithms the
 * OCI image spec registers. (The distribution test binary rejects sha512 only because it does not link
 * crypto/sha512; a registry may serve sha512 content, so refusing it would be wrong for us.)
 */
export const DIGEST_ALGORITHMS: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

const digestSyntaxLoose = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export type DigestError = 'digest_invalid_format' | 'digest_invalid_length' | 'digest_unsupported';

/** Validate a digest the way go-digest's Parse does, with sha512 accepted. */
export function validateDigest(s: string): DigestError | null {
  const i = s.indexOf(':');
  if (i <= 0 || i + 1 === s.length) return 'digest_invalid_format';
  const algorithm = s.slice(0, i);
  const encoded = s.slice(i + 1);
  const length = Object.hasOwn(DIGEST_ALGORITHMS, algorithm) ? DIGEST_ALGORITHMS[algorithm] : undefined;
  if (length === undefined) return digestSyntaxLoose.test(s) ? 'digest_unsupported' : 'digest_invalid_format';
  if (encoded.length !== length) return 'digest_invalid_length';
  return /^[a-f0-9]+$/.test(encoded) ? null : 'digest_invalid_format';
}
