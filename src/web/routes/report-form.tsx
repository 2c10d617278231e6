import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deskPublicKey } from '../../app/desk-public-key.js';
import { AppError } from '../../app/errors.js';
import { submitReport } from '../../app/submit-report.js';
import { submitSealedReport } from '../../app/submit-sealed-report.js';
import type { Context } from '../../context.js';
import { reportFieldsSchema, type ReportInputOptions } from '../../domain/reports/report-input.js';
import { sealedFieldsSchema } from '../../domain/reports/sealed-report.js';
import { offeredLanguages, pickLanguage } from '../i18n/languages.js';
import { fileFieldNames, formFiles, formTextFields, isMultipart, STRICT_MULTIPART } from '../multipart-form.js';
import { rateLimit } from '../rate-limits.js';
import { sendPage } from '../render.js';
import { appErrorProblems, zodProblems } from '../report-problems.js';
import { trackingUrl } from '../reporter-cookie.js';
import { ReportCreatedPage } from '../views/report-created-page.js';
import { ReportFormPage, type FieldProblem } from '../views/report-form-page.js';
import { OPENPGP_BROWSER_PATH } from '../vendor-assets.js';
import { DESK_KEY_PATH } from './public-files.js';

/** What the policy lets a reporter choose: the same options for the form and the API. */
export const reportInputOptions = (ctx: Context): ReportInputOptions => {
  const languages = offeredLanguages(ctx.policy.languages);
  return {
    images: ctx.policy.project.images.map((i) => i.name),
    languages: [languages[0] ?? 'en', ...languages.slice(1)],
    allowAnonymous: ctx.policy.reporting.allowAnonymous,
    creditOffered: ctx.policy.credit.offered,
  };
};

/** The public report form: GET shows it beside the policy's scope and promises; POST files the report. */
export async function registerReportForm(app: FastifyInstance, ctx: Context): Promise<void> {
  const offered = offeredLanguages(ctx.policy.languages);
  const schema = reportFieldsSchema(reportInputOptions(ctx));
  const sealedSchema = sealedFieldsSchema(reportInputOptions(ctx));

  const form = async (req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, problems: FieldProblem[], status: number, hadFiles = false) => {
    const lang = pickLanguage(req, offered);
    const key = await deskPublicKey(ctx);
    const encryption = key ? { fingerprint: key.fingerprint, keyPath: DESK_KEY_PATH, openpgpPath: OPENPGP_BROWSER_PATH } : null;
    return sendPage(
      reply,
      <ReportFormPage policy={ctx.policy} lang={lang} offered={offered} csrf={reply.generateCsrf()} limits={ctx.config.limits} values={values} problems={problems} hadFiles={hadFiles} encryption={encryption} />,
      status,
    );
  };

  await app.register(async (scope) => {
    scope.get('/report', async (req, reply) => form(req, reply, {}, [], 200));

    scope.post('/report', { preHandler: app.csrfProtection, onRequest: rateLimit(ctx, 'submit'), config: STRICT_MULTIPART }, async (req, reply) => {
      if (!isMultipart(req)) throw new AppError('invalid_input', 'Send the report form as multipart/form-data.');
      const fields = formTextFields(req.body);
      const strayFiles = fileFieldNames(req.body).filter((n) => n !== 'attachments');
      if (strayFiles.length > 0) throw new AppError('invalid_input', `Files are accepted only as attachments (not as ${strayFiles.join(', ')}).`);
      const attachments = await formFiles(req.body, 'attachments');
      const { credit, creditName, ...rest } = fields;
      const input = { ...rest, ...(credit === undefined ? {} : { credit: credit === 'name' ? { wish: 'name', name: creditName ?? '' } : { wish: credit } }) };
      // Encrypted in the browser (assets/encrypt-report.js): the ciphertext is never put back into the form.
      const { encrypted: _ciphertext, ...kept } = fields;
      void _ciphertext;
      const file = async () => {
        if (fields.encrypted !== undefined) {
          const parsed = sealedSchema.safeParse(input);
          return parsed.success ? submitSealedReport(ctx, { fields: parsed.data, files: attachments, channel: 'web' }) : zodProblems(parsed.error);
        }
        const parsed = schema.safeParse(input);
        return parsed.success ? submitReport(ctx, { fields: parsed.data, attachments, channel: 'web' }) : zodProblems(parsed.error);
      };
      let created;
      try {
        created = await file();
      } catch (e) {
        const shown = appErrorProblems(e);
        if (!shown) throw e;
        return form(req, reply, kept, shown.problems, shown.status, true);
      }
      if (Array.isArray(created)) return form(req, reply, kept, created, 400, attachments.length > 0);
      reply.header('cache-control', 'no-store');
      const lang = pickLanguage(req, offered);
      return sendPage(reply, <ReportCreatedPage policy={ctx.policy} lang={lang} number={created.number} link={trackingUrl(ctx, created.token)} />, 201);
    });
  });
}
