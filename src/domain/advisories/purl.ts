/**
 * Package URLs for container images, per the purl spec's "oci" type:
 *   pkg:oci/<last path segment>@<digest>?repository_url=<registry/path>&tag=<tag>
 * The digest is the version (it is what identifies an image); the tag is only a qualifier, since
 * a tag may move to another image. Written as the spec's own examples are (sha256%3A…, slashes
 * in repository_url kept).
 */

// A lone UTF-16 surrogate makes encodeURIComponent throw (URIError): it becomes U+FFFD, as a UTF-8 encoder writes it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const encodeURIComponent = (s: string): string => globalThis.encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD'));
const enc = (s: string): string => encodeURIComponent(s).replace(/%2F/gi, '/');

/** pkg:oci/mautic?repository_url=docker.io/mautic/mautic — the repository, without a version. */
export function ociRepositoryPurl(image: string): string {
  const name = image.split('/').pop() ?? image;
  return `pkg:oci/${encodeURIComponent(name)}?repository_url=${enc(image)}`;
}

/** pkg:oci/mautic@sha256%3A…?repository_url=docker.io/mautic/mautic&tag=5.2.1-apache */
export function ociPurl(image: string, digest: string, tag?: string): string {
  const name = image.split('/').pop() ?? image;
  const qualifiers = [`repository_url=${enc(image)}`, ...(tag ? [`tag=${encodeURIComponent(tag)}`] : [])];
  return `pkg:oci/${encodeURIComponent(name)}@${encodeURIComponent(digest)}?${qualifiers.join('&')}`;
}
