import type { RateLimitSurface } from '../../config.js';
import type { UiLanguage } from './languages.js';

type Scope = 'address' | 'overall';

/** Words of the 429 page: what was limited (for this address, or for everyone) and when to try again. */
export const rateLimitWords = {
  en: {
    title: 'Too many requests',
    what: {
      submit: {
        address: 'This desk has taken as many reports from your network as it accepts in a short time. Your report was not stored.',
        overall: 'This desk is receiving more reports than it accepts in a short time. Your report was not stored.',
      },
      reply: {
        address: 'You have sent as many messages as the desk accepts from your network in a short time. Your message was not stored.',
        overall: 'This desk is receiving more messages than it accepts in a short time. Your message was not stored.',
      },
      reporter: {
        address: 'Too many requests for report pages came from your network in a short time.',
        overall: 'This desk is receiving more requests for report pages than it answers in a short time.',
      },
      login: {
        address: 'Too many sign-in requests came from your network in a short time.',
        overall: 'This desk is receiving more sign-in requests than it answers in a short time. Sessions already signed in keep working.',
      },
    } satisfies Record<RateLimitSurface, Record<Scope, string>>,
    retry: (seconds: number) => `Please try again in ${duration(seconds, 'en')}.`,
    keepText: 'Your browser’s Back button usually brings back what you typed.',
    back: 'Back to the security policy',
  },
  de: {
    title: 'Zu viele Anfragen',
    what: {
      submit: {
        address: 'Dieses System hat aus Ihrem Netz so viele Meldungen angenommen, wie es in kurzer Zeit annimmt. Ihre Meldung wurde nicht gespeichert.',
        overall: 'Dieses System erhält gerade mehr Meldungen, als es in kurzer Zeit annimmt. Ihre Meldung wurde nicht gespeichert.',
      },
      reply: {
        address: 'Aus Ihrem Netz kamen so viele Nachrichten, wie das System in kurzer Zeit annimmt. Ihre Nachricht wurde nicht gespeichert.',
        overall: 'Dieses System erhält gerade mehr Nachrichten, als es in kurzer Zeit annimmt. Ihre Nachricht wurde nicht gespeichert.',
      },
      reporter: {
        address: 'Aus Ihrem Netz kamen in kurzer Zeit zu viele Anfragen nach Meldungsseiten.',
        overall: 'Dieses System erhält gerade mehr Anfragen nach Meldungsseiten, als es in kurzer Zeit beantwortet.',
      },
      login: {
        address: 'Aus Ihrem Netz kamen in kurzer Zeit zu viele Anmeldeversuche.',
        overall: 'Dieses System erhält gerade mehr Anmeldeversuche, als es in kurzer Zeit beantwortet. Bereits angemeldete Sitzungen funktionieren weiter.',
      },
    } satisfies Record<RateLimitSurface, Record<Scope, string>>,
    retry: (seconds: number) => `Bitte versuchen Sie es in ${duration(seconds, 'de')} erneut.`,
    keepText: 'Mit der Zurück-Taste Ihres Browsers erhalten Sie das Eingegebene meist zurück.',
    back: 'Zurück zur Sicherheitsrichtlinie',
  },
} satisfies Record<UiLanguage, unknown>;

/** "45 seconds", "3 minutes", "1 Minute": rounded up, so waiting that long always helps. */
export function duration(seconds: number, lang: UiLanguage): string {
  if (seconds < 60) return lang === 'de' ? `${seconds} ${seconds === 1 ? 'Sekunde' : 'Sekunden'}` : `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return lang === 'de' ? `${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'}` : `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}
