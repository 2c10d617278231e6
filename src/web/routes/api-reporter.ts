import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app/errors.js';
import { changeCredit } from '../../app/reporter/change-credit.js';
import { setUpstreamConsent } from '../../app/reports/forward-upstream.js';
import { replyAsReporter } from '../../app/reporter/reply-as-reporter.js';
import { reportIdForToken } from '../../app/reporter/reporter-access.js';
import { reporterAttachment } from '../../app/reporter/reporter-attachment.js';
import { viewAsReporter } from '../../app/reporter/view-as-reporter.js';
import { submitReport } from '../../app/submit-report.js';
import { submitSealedReport } from '../../app/submit-sealed-report.js';
import type { Context } from '../../context.js';
import { reporterOpenApi } from '../api/openapi.js';
import { apiReporterReport, reporterApiSchemas } from '../api/reporter-api-schemas.js';
import { rateLimit } from '../rate-limits.js';
import { trackingUrl } from '../reporter-cookie.js';
import { sendAttachment } from '../send-attachment.js';
import { reportInputOptions } from './report-form.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The reporter's JSON API: file a report, then read it and answer with the token as a bearer
 * credential. No cookies are read here, so no CSRF token is needed; the same use cases as the
 * form do the work. Bodies are decoded as strict UTF-8 (fastify's own parser would turn broken
 * bytes into U+FFFD and store them as if sent).
 */
export async function registerReporterApi(app: FastifyInstance, ctx: Context): Promise<void> {
  const s = reporterApiSchemas(reportInputOptions(ctx), ctx.config.limits);
  const openapi = reporterOpenApi(ctx, s);
  app.get('/api/openapi.json', async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send(openapi));

  await app.register(async (api) => {
    // JSON only: form encodings and text/plain are a 415 here rather than a body of the wrong shape.
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: ctx.config.limits.bodyBytes }, (_req, body: Buffer, done) => {
      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        return done(new AppError('invalid_input', 'The body is not valid UTF-8.'), undefined);
      }
      if (text.trim() === '') return done(new AppError('invalid_input', 'The body is empty; send a JSON object.'), undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new AppError('invalid_input', 'The body is not valid JSON.'), undefined);
      }
    });
    const asReporter = { onRequest: rateLimit(ctx, 'reporter') };
    const asReporterWriting = { onRequest: rateLimit(ctx, 'reporter', 'reply') };

    /** The report the bearer token opens; 401 for none or a wrong one, without saying which. */
    const reporter = async (req: FastifyRequest, reply: FastifyReply): Promise<string> => {
      const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      const id = await reportIdForToken(ctx.db, m?.[1]);
      if (id) return id;
      reply.header('www-authenticate', 'Bearer realm="cvdesk reporter"');
      throw new AppError('unauthenticated', 'Send the token of your report as "Authorization: Bearer <token>".');
    };
    const uploads = (list: Array<{ filename: string; contentType: string; dataBase64: string }>) =>
      list.map((a) => ({ filename: a.filename, contentType: a.contentType, data: Buffer.from(a.dataBase64, 'base64') }));

    api.post('/api/v1/reports', { onRequest: rateLimit(ctx, 'submit') }, async (req, reply) => {
      // Encrypted by the client to the desk's key: the same report, stored unread.
      let created;
      if (typeof req.body === 'object' && req.body !== null && 'encrypted' in req.body) {
        const { attachments, ...fields } = s.newSealedReport.parse(req.body);
        created = await submitSealedReport(ctx, { fields, files: uploads(attachments), channel: 'api' });
      } else {
        const { attachments, ...fields } = s.newReport.parse(req.body);
        created = await submitReport(ctx, { fields, attachments: uploads(attachments), channel: 'api' });
      }
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send(s.created.parse({ id: created.id, number: created.number, trackingUrl: trackingUrl(ctx, created.token), token: created.token }));
    });

    api.get('/api/v1/reporter/report', asReporter, async (req, reply) => {
      const id = await reporter(req, reply);
      const view = await viewAsReporter(ctx, id);
      return reply.header('cache-control', 'no-store').send(apiReporterReport(view));
    });

    api.post('/api/v1/reporter/messages', asReporterWriting, async (req, reply) => {
      const id = await reporter(req, reply);
      const input = s.newMessage.parse(req.body);
      const r = await replyAsReporter(ctx, { reportId: id, body: input.body, attachments: uploads(input.attachments) });
      return reply.status(201).header('cache-control', 'no-store').send({ id: r.messageId, resumed: r.resumed });
    });

    api.put('/api/v1/reporter/credit', asReporterWriting, async (req, reply) => {
      const id = await reporter(req, reply);
      const credit = s.credit.parse(req.body);
      await changeCredit(ctx, { reportId: id, credit });
      return reply.header('cache-control', 'no-store').send(credit);
    });

    api.put('/api/v1/reporter/upstream-consent', asReporterWriting, async (req, reply) => {
      const id = await reporter(req, reply);
      const body = s.upstreamConsent.parse(req.body);
      await setUpstreamConsent(ctx, { reportId: id, consent: body.consent });
      return reply.header('cache-control', 'no-store').send(body);
    });

    api.get<{ Params: { id: string } }>('/api/v1/reporter/attachments/:id', asReporter, async (req, reply) => {
      const id = await reporter(req, reply);
      const file = await reporterAttachment(ctx, { reportId: id, attachmentId: req.params.id });
      if (!file) throw new AppError('not_found', 'There is no such file.');
      return sendAttachment(reply, file);
    });
  });
}
