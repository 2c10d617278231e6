import type { FastifyReply } from 'fastify';

/**
 * Sends a stored attachment as a download, never as a page: Content-Disposition attachment, its
 * own sandboxing CSP, nosniff (from the security headers) and no caching. The file name is given
 * in ASCII and, for other characters, RFC 6266's filename*.
 */
export function sendAttachment(reply: FastifyReply, file: { filename: string; contentType: string; data: Uint8Array }): FastifyReply {
  const ascii = file.filename.replace(/[^A-Za-z0-9._ -]/g, '_');
  const encoded = encodeURIComponent(file.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const textual = file.contentType === 'text/plain' || file.contentType === 'application/json';
  return reply
    .header('content-type', textual ? `${file.contentType}; charset=utf-8` : file.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .send(Buffer.from(file.data));
}
