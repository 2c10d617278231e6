import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { confirmSubscription, pendingSubscription } from '../../app/announcements/confirm-subscription.js';
import { subscribe } from '../../app/announcements/subscribe.js';
import { subscriptionOf, unsubscribe } from '../../app/announcements/unsubscribe.js';
import type { Context } from '../../context.js';
import { offeredLanguages, pickLanguage, type UiLanguage } from '../i18n/languages.js';
import { subscriptionWords } from '../i18n/subscriptions.js';
import { rateLimit } from '../rate-limits.js';
import { sendPage } from '../render.js';
import { formFields, noStore } from '../team-form.js';
import { SubscribePage, SubscriptionButtonPage, SubscriptionMessagePage } from '../views/subscription-pages.js';

const tokenOf = (req: FastifyRequest) => String((req.params as { token?: unknown }).token ?? '');

/**
 * Advisories by mail (issue #5): /advisories/subscribe (the form; the same answer for every
 * address), /advisories/confirm/<token> (GET shows a button, its POST confirms: mail scanners
 * follow links) and /advisories/unsubscribe/<token> (GET shows a button; a POST unsubscribes
 * without cookies or CSRF token, as RFC 8058's one-click List-Unsubscribe-Post requires: the
 * token is the authority). Every page with a token is kept out of caches. A sign-up counts
 * against the limits of what anonymous visitors create (the report form's); the buttons behind
 * the mailed links against those of pages opened by a secret link (the reporter's).
 */
export async function registerPublicSubscriptions(app: FastifyInstance, ctx: Context): Promise<void> {
  const offered = offeredLanguages(ctx.policy.languages);
  const mailOffered = ctx.config.mail.url !== null;
  const langOf = (req: FastifyRequest, preferred?: string): UiLanguage => (offered as readonly string[]).includes(preferred ?? '') ? (preferred as UiLanguage) : pickLanguage(req, offered);
  const message = (reply: FastifyReply, lang: UiLanguage, title: string, text: string[], status = 200, level?: 'ok' | 'info' | 'bad') =>
    sendPage(noStore(reply), <SubscriptionMessagePage policy={ctx.policy} lang={lang} title={title} text={text} {...(level ? { level } : {})} />, status);
  const invalidLink = (req: FastifyRequest, reply: FastifyReply, which: 'confirmInvalid' | 'unsubscribeInvalid') => {
    const lang = langOf(req);
    const w = subscriptionWords[lang];
    return message(reply, lang, w.linkInvalidTitle, [w[which]], 404, 'bad');
  };

  app.get('/advisories/subscribe', async (req, reply) => {
    const lang = langOf(req);
    return sendPage(noStore(reply), <SubscribePage policy={ctx.policy} lang={lang} offered={offered} csrf={reply.generateCsrf()} mailOffered={mailOffered} />);
  });

  app.post('/advisories/subscribe', { preHandler: app.csrfProtection, onRequest: rateLimit(ctx, 'submit') }, async (req, reply) => {
    const f = formFields(req.body);
    const lang = langOf(req, f.language);
    const page = (status: number, emailProblem: boolean) =>
      sendPage(noStore(reply), <SubscribePage policy={ctx.policy} lang={lang} offered={offered} csrf={reply.generateCsrf()} mailOffered={mailOffered} values={f} emailProblem={emailProblem} />, status);
    if (!mailOffered) return page(404, false);
    const result = await subscribe(ctx, { email: f.email, language: lang });
    if (result.kind === 'invalid') return page(400, true);
    const w = subscriptionWords[lang];
    return message(reply, lang, w.checkMailTitle, [w.checkMail, w.checkMailExpiry], 200, 'info');
  });

  app.get('/advisories/confirm/:token', async (req, reply) => {
    const pending = await pendingSubscription(ctx, tokenOf(req));
    if (!pending) return invalidLink(req, reply, 'confirmInvalid');
    const lang = langOf(req, pending.language);
    const w = subscriptionWords[lang];
    return sendPage(
      noStore(reply),
      <SubscriptionButtonPage policy={ctx.policy} lang={lang} title={w.confirmTitle} lead={w.confirmLead} button={w.confirmButton} action={req.url.split('?')[0] ?? ''} csrf={reply.generateCsrf()} />,
    );
  });

  app.post('/advisories/confirm/:token', { preHandler: app.csrfProtection, onRequest: rateLimit(ctx, 'reporter') }, async (req, reply) => {
    const result = await confirmSubscription(ctx, tokenOf(req));
    if (result.kind === 'not_found') return invalidLink(req, reply, 'confirmInvalid');
    const lang = langOf(req, result.language);
    const w = subscriptionWords[lang];
    return message(reply, lang, w.confirmedTitle, [w.confirmed], 200, 'ok');
  });

  app.get('/advisories/unsubscribe/:token', async (req, reply) => {
    const s = await subscriptionOf(ctx, tokenOf(req));
    if (!s) return invalidLink(req, reply, 'unsubscribeInvalid');
    const lang = langOf(req, s.language);
    const w = subscriptionWords[lang];
    if (s.state === 'unsubscribed') return message(reply, lang, w.unsubscribedTitle, [w.unsubscribed], 200, 'ok');
    return sendPage(noStore(reply), <SubscriptionButtonPage policy={ctx.policy} lang={lang} title={w.unsubscribeTitle} lead={w.unsubscribeLead} button={w.unsubscribeButton} action={req.url.split('?')[0] ?? ''} />);
  });

  // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" here, with no cookies; our page's button posts the same way.
  app.post('/advisories/unsubscribe/:token', { onRequest: rateLimit(ctx, 'reporter') }, async (req, reply) => {
    const result = await unsubscribe(ctx, tokenOf(req));
    if (result.kind === 'not_found') return invalidLink(req, reply, 'unsubscribeInvalid');
    const lang = langOf(req, result.language);
    const w = subscriptionWords[lang];
    return message(reply, lang, w.unsubscribedTitle, [w.unsubscribed], 200, 'ok');
  });
}
