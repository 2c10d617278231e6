import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { isAppError, type AppErrorCode } from '../app/errors.js';

/** AppError codes as HTTP statuses: the one place where faults become HTTP answers. */
const STATUS: Record<AppErrorCode, number> = {
  invalid_input: 400,
  invalid_policy: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unreadable: 422,
  rate_limited: 429,
  internal: 500,
};

export interface HttpProblem {
  status: number;
  code: string;
  message: string;
  fields?: Array<{ field: string; message: string }>;
}

/** Any thrown value as a client-safe problem; nothing of an unexpected fault's text reaches the client. */
export function toProblem(e: unknown): HttpProblem {
  if (isAppError(e)) {
    const fields = Array.isArray(e.details) ? (e.details as HttpProblem['fields']) : undefined;
    return { status: STATUS[e.code], code: e.code, message: e.code === 'internal' ? 'Something went wrong on our side.' : e.message, ...(fields ? { fields } : {}) };
  }
  if (e instanceof ZodError) {
    const fields = e.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    return { status: 400, code: 'invalid_input', message: `The request is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields };
  }
  const fe = e as Partial<FastifyError>;
  if (isBrokenMultipart(e)) return { status: 400, code: 'invalid_input', message: 'The multipart/form-data body is broken (it ends early or has no boundary).' };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: fastifyCode(fe), message: fastifyMessage(fe) };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side.' };
}

/**
 * Busboy's parse errors reach the error handler as plain Errors without a status: a client's broken
 * multipart body was a 500 (found by test/fuzz/endpoints.test.ts). These are all it throws on input.
 */
const BROKEN_MULTIPART = /^(Unexpected end of multipart data|Multipart: Boundary not found|\w+ terminated early due to unexpected end of multipart data)$/;
const isBrokenMultipart = (e: unknown) => e instanceof Error && (e as Partial<FastifyError>).statusCode === undefined && BROKEN_MULTIPART.test(e.message);

function fastifyCode(e: Partial<FastifyError>): string {
  if (e.statusCode === 413) return 'too_large';
  if (e.statusCode === 415) return 'unsupported_media_type';
  if (e.statusCode === 429) return 'rate_limited';
  if (e.statusCode === 403) return 'forbidden';
  return 'invalid_input';
}

function fastifyMessage(e: Partial<FastifyError>): string {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The body is not valid JSON.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return 'The request is larger than this desk accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This content type is not accepted here.';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'The Content-Length does not match the body.';
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return 'The form has expired or did not come from this site. Reload the page and try again.';
    default:
      return e.statusCode === 429 ? 'Too many requests; wait a moment and try again.' : 'The request could not be understood.';
  }
}

export const wantsJson = (req: FastifyRequest) => req.url.startsWith('/api/') || (req.headers.accept ?? '').startsWith('application/json');

/** Sends a problem as JSON for API clients; HTML pages pass their own renderer. */
export function sendProblem(reply: FastifyReply, p: HttpProblem): FastifyReply {
  return reply.status(p.status).type('application/json; charset=utf-8').send({ error: { code: p.code, message: p.message, ...(p.fields ? { fields: p.fields } : {}) } });
}
