import type { UiLanguage } from './languages.js';

/** Words of the pages that subscribe to, confirm and end advisory announcements by mail. */
export interface SubscriptionWords {
  language: string;
  emailProblem: string;
  notOffered: string;
  feedInstead: string;
  checkMailTitle: string;
  checkMail: string;
  checkMailExpiry: string;
  confirmTitle: string;
  confirmLead: string;
  confirmButton: string;
  confirmedTitle: string;
  confirmed: string;
  linkInvalidTitle: string;
  confirmInvalid: string;
  unsubscribeTitle: string;
  unsubscribeLead: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribed: string;
  unsubscribeInvalid: string;
  toAdvisories: string;
}

export const subscriptionWords = {
  en: {
    language: 'Language of the mail',
    emailProblem: 'Enter an e-mail address.',
    notOffered: 'This desk does not send advisories by e-mail.',
    feedInstead: 'Follow the Atom feed of the advisories instead.',
    checkMailTitle: 'Check your mail',
    checkMail: 'If this address can receive mail, a message with a link to confirm the subscription is on its way. Nothing is sent to it until the link is used.',
    checkMailExpiry: 'The link works for 48 hours.',
    confirmTitle: 'Confirm your subscription',
    confirmLead: 'Press the button to receive each new security advisory at the address this link was sent to.',
    confirmButton: 'Confirm the subscription',
    confirmedTitle: 'Subscribed',
    confirmed: 'You will receive each new security advisory by e-mail. Every mail has a link to unsubscribe with one click.',
    linkInvalidTitle: 'This link does not work',
    confirmInvalid: 'This confirmation link is not valid: it was used already, a newer one replaced it, or it has expired. Subscribe again to get a new one.',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeLead: 'Press the button to stop receiving the security advisories by e-mail.',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'Unsubscribed',
    unsubscribed: 'This address receives no more security advisories from us.',
    unsubscribeInvalid: 'This unsubscribe link is not valid.',
    toAdvisories: 'To the advisories',
  },
  de: {
    language: 'Sprache der E-Mails',
    emailProblem: 'Geben Sie eine E-Mail-Adresse ein.',
    notOffered: 'Dieses System verschickt keine Sicherheitshinweise per E-Mail.',
    feedInstead: 'Folgen Sie stattdessen dem Atom-Feed der Sicherheitshinweise.',
    checkMailTitle: 'Bitte sehen Sie in Ihr Postfach',
    checkMail: 'Wenn diese Adresse E-Mails empfangen kann, ist eine Nachricht mit einem Bestätigungslink unterwegs. Bis der Link verwendet wird, erhält sie nichts weiter.',
    checkMailExpiry: 'Der Link ist 48 Stunden gültig.',
    confirmTitle: 'Abonnement bestätigen',
    confirmLead: 'Drücken Sie die Schaltfläche, um jeden neuen Sicherheitshinweis an die Adresse zu erhalten, an die dieser Link ging.',
    confirmButton: 'Abonnement bestätigen',
    confirmedTitle: 'Abonniert',
    confirmed: 'Sie erhalten jeden neuen Sicherheitshinweis per E-Mail. Jede Mail enthält einen Link, mit dem Sie sich mit einem Klick abmelden.',
    linkInvalidTitle: 'Dieser Link funktioniert nicht',
    confirmInvalid: 'Dieser Bestätigungslink ist nicht gültig: Er wurde schon verwendet, durch einen neueren ersetzt oder ist abgelaufen. Abonnieren Sie erneut, um einen neuen zu erhalten.',
    unsubscribeTitle: 'Abbestellen',
    unsubscribeLead: 'Drücken Sie die Schaltfläche, um keine Sicherheitshinweise mehr per E-Mail zu erhalten.',
    unsubscribeButton: 'Abbestellen',
    unsubscribedTitle: 'Abbestellt',
    unsubscribed: 'Diese Adresse erhält von uns keine Sicherheitshinweise mehr.',
    unsubscribeInvalid: 'Dieser Link zum Abbestellen ist nicht gültig.',
    toAdvisories: 'Zu den Sicherheitshinweisen',
  },
} satisfies Record<UiLanguage, SubscriptionWords>;
