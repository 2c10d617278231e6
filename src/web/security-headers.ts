import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * A strict Content-Security-Policy: scripts and styles only from our own files (no inline code),
 * no framing, forms post only to us. HSTS only when the desk is served over https.
 */
export async function registerSecurityHeaders(app: FastifyInstance, https: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
}

/**
 * openpgp unlocks a private key protected with Argon2 (RFC 9580) in WebAssembly. The pages that
 * decrypt in the browser (a report encrypted by its reporter) allow compiling it; no page allows eval.
 */
export function allowWasm(reply: FastifyReply): void {
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string' && !csp.includes("'wasm-unsafe-eval'")) reply.header('content-security-policy', csp.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"));
}
