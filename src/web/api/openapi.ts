import { z } from 'zod';
import type { Context } from '../../context.js';
import { tagStatusSchema } from './image-api-schemas.js';
import type { ReporterApiSchemas } from './reporter-api-schemas.js';

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the reporter API, generated from the zod schemas the routes parse
 * with (requests as their input side, answers as their output side). Built once at start-up.
 */
export function reporterOpenApi(ctx: Context, s: ReporterApiSchemas): Record<string, unknown> {
  const requests = z.registry<{ id: string }>();
  requests.add(s.attachment, { id: 'AttachmentUpload' });
  requests.add(s.newReport, { id: 'NewReport' });
  requests.add(s.newSealedReport, { id: 'NewEncryptedReport' });
  requests.add(s.newMessage, { id: 'NewMessage' });
  requests.add(s.credit, { id: 'Credit' });
  requests.add(s.upstreamConsent, { id: 'UpstreamConsent' });
  const responses = z.registry<{ id: string }>();
  responses.add(s.created, { id: 'ReportCreated' });
  responses.add(s.messageCreated, { id: 'MessageCreated' });
  responses.add(s.file, { id: 'Attachment' });
  responses.add(s.reporterReport, { id: 'ReporterReport' });
  responses.add(s.problem, { id: 'Error' });
  responses.add(tagStatusSchema, { id: 'TagStatus' });
  const uri = (id: string) => `#/components/schemas/${id}`;
  const clean = (out: { schemas: Record<string, unknown> }) =>
    Object.fromEntries(Object.entries(out.schemas).map(([id, schema]) => [id, strip(schema as JsonSchema)]));
  const schemas = {
    ...clean(z.toJSONSchema(requests, { io: 'input', uri, unrepresentable: 'any' })),
    ...clean(z.toJSONSchema(responses, { io: 'output', uri, unrepresentable: 'any' })),
  };

  const ref = (id: string) => ({ $ref: uri(id) });
  const json = (id: string) => ({ content: { 'application/json': { schema: ref(id) } } });
  const error = (description: string) => ({ description, ...json('Error') });
  const reporter = [{ reporterToken: [] }];
  const unauthorized = error('No token, or a token that opens no report');
  return {
    openapi: '3.1.0',
    info: {
      title: `${ctx.policy.project.name}: vulnerability reports`,
      version: '1',
      description:
        'Report a vulnerability without an account, then follow it with the token you get back: status, deadlines, the conversation with the security team and your credit choice. Keep the token secret; it is shown once.',
    },
    servers: [{ url: ctx.config.baseUrl.toString().replace(/\/$/, '') }],
    components: {
      schemas,
      securitySchemes: { reporterToken: { type: 'http', scheme: 'bearer', description: 'The token returned when the report was filed' } },
    },
    paths: {
      '/api/v1/reports': {
        post: {
          summary: 'File a report',
          operationId: 'createReport',
          description:
            "A report in clear (NewReport), or encrypted by the client (NewEncryptedReport): title, description, steps, impact and CVSS as one OpenPGP message to the desk's key (GET /openpgp-key.asc), the files each encrypted on its own. The desk checks that they are OpenPGP messages to its key and stores them without decrypting them; the report is titled \"Encrypted report\".",
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [ref('NewReport'), ref('NewEncryptedReport')] } } } },
          responses: {
            201: { description: 'Filed; the token and tracking link are shown only in this answer', ...json('ReportCreated') },
            400: error('Invalid input: unknown field, too long, invalid CVSS vector, refused attachment, malformed JSON or UTF-8; an encrypted report or file that is not an OpenPGP message to the desk key, or a desk without a key'),
            413: error('The body or an attachment is larger than the desk accepts'),
            415: error('The body is not application/json'),
            429: error('Too many reports from this address; try again later'),
          },
        },
      },
      '/api/v1/reporter/report': {
        get: { summary: "The reporter's view of their report", operationId: 'getReporterReport', security: reporter, responses: { 200: { description: 'The report', ...json('ReporterReport') }, 401: unauthorized } },
      },
      '/api/v1/reporter/messages': {
        post: {
          summary: 'Write to the security team',
          operationId: 'postReporterMessage',
          security: reporter,
          requestBody: { required: true, ...json('NewMessage') },
          responses: { 201: { description: 'Sent', ...json('MessageCreated') }, 400: error('Invalid input'), 401: unauthorized, 413: error('Too large'), 429: error('Too many messages; try again later') },
        },
      },
      '/api/v1/reporter/credit': {
        put: {
          summary: 'Choose how to be credited in the advisory',
          operationId: 'putReporterCredit',
          security: reporter,
          requestBody: { required: true, ...json('Credit') },
          responses: { 200: { description: 'Saved', ...json('Credit') }, 400: error('Invalid input'), 401: unauthorized },
        },
      },
      '/api/v1/reporter/upstream-consent': {
        put: {
          summary: 'Agree (or no longer agree) that the team may share the report with an upstream project it concerns',
          operationId: 'putReporterUpstreamConsent',
          security: reporter,
          requestBody: { required: true, ...json('UpstreamConsent') },
          responses: { 200: { description: 'Saved', ...json('UpstreamConsent') }, 400: error('Invalid input'), 401: unauthorized },
        },
      },
      '/api/v1/images/{repository}/tags/{tag}/status': {
        get: {
          summary: 'Is an image tag supported, which published advisories affect it, and which tag to move to',
          operationId: 'getImageTagStatus',
          description: "Answered from the desk's registry inventory of the policy's image repositories. The repository is written as is, slashes and host:port included: /api/v1/images/docker.io/mautic/mautic/tags/5.2.1-apache/status.",
          parameters: [
            { name: 'repository', in: 'path', required: true, description: 'A repository of the policy, e.g. docker.io/mautic/mautic (not URL-encoded)', schema: { type: 'string' } },
            { name: 'tag', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' } },
          ],
          responses: { 200: { description: 'The status of the tag', ...json('TagStatus') }, 400: error('Not a repository name or not a tag'), 404: error('Not a repository of the policy, no such tag, or the repository was not synced yet') },
        },
      },
      '/api/v1/reporter/attachments/{id}': {
        get: {
          summary: 'Download a file of the report or of the conversation',
          operationId: 'getReporterAttachment',
          security: reporter,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { 200: { description: 'The file, as a download', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }, 401: unauthorized, 404: error('No such file') },
        },
      },
    },
  };
}

/** A component is a schema inside the document: it needs neither its own dialect nor its own id. */
function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}
