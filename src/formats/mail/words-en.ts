import type { Stage } from '../../domain/policy/schema-sla.js';
import type { RejectionReason, ReportState } from '../../domain/reports/states.js';
import { formatMailInstant, type ReporterMailWords, type TeamMailWords } from './words.js';

// English mail. The reporter is thanked and told what happens next; the team is told what is due.

const STATE: Record<ReportState, [string, string]> = {
  received: ['received', 'Your report has arrived. The team has not acknowledged it yet.'],
  acknowledged: ['acknowledged', 'The team has acknowledged your report and is assessing it.'],
  waiting_on_reporter: ['waiting for your answer', 'The team has asked you something. Please answer; the assessment clock is paused until you do.'],
  accepted: ['confirmed', 'The team has confirmed the vulnerability and is going to fix it.'],
  rejected: ['closed', 'The team has closed your report without a fix.'],
  fixing: ['fix in progress', 'The team is preparing a fix.'],
  fixed: ['fixed', 'A fix is in a build. The advisory is published once the fixed image is released.'],
  disclosed: ['published', 'The advisory has been published. Thank you for your report.'],
};

const REASON: Record<RejectionReason, string> = {
  invalid: 'It was not found to be a vulnerability.',
  duplicate: 'It duplicates an earlier report.',
  out_of_scope: 'It is outside the scope of this security policy.',
  upstream: 'It belongs to another project; the team’s message says where to report it.',
};

const STAGE: Record<Stage, string> = { acknowledge: 'acknowledgement', triage: 'triage', fix: 'fix', patch: 'fixed-image release' };

const TEAM_STATE: Record<string, string> = {
  received: 'received',
  acknowledged: 'acknowledged',
  waiting_on_reporter: 'waiting on reporter',
  accepted: 'accepted',
  rejected: 'rejected',
  fixing: 'fixing',
  fixed: 'fixed',
  disclosed: 'disclosed',
};

const titled = (r: { number: number; title: string }) => `#${r.number} “${r.title}”`;

export const reporterWordsEn: ReporterMailWords = {
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  signature: (team) => `— ${team}`,
  instant: (d, tz) => formatMailInstant(d, tz, 'en'),

  ackSubject: (n) => `Your report #${n} has arrived`,
  ackThanks: (team, project, r, received) => `Thank you for reporting a vulnerability to the ${team} of ${project}. We received your report ${titled(r)} on ${received}.`,
  ackLink: 'Follow your report, read the team’s messages and answer them here:',
  ackKeepSecret: 'This link is the only way back to your report. Keep it to yourself: anyone who has it can read the report and write to the team.',
  ackAutomatic: 'This confirmation is our acknowledgement of your report.',
  ackPromises: 'What we promise:',
  replyByMail: 'You can also answer this e-mail: your answer is added to your report.',
  replyOnPage: 'To see the whole report or to answer, open the tracking link you received with our first e-mail.',

  stateSubject: (n, s) => `Your report #${n} is ${STATE[s][0]}`,
  stateNow: (r, s) => `Your report ${titled(r)} is now ${STATE[s][0]}.`,
  stateExplained: (s) => STATE[s][1],
  rejectedBecause: (reason) => REASON[reason],

  messageSubject: (n) => `A message about your report #${n}`,
  messageFromTeam: (r) => `The team wrote to you about your report ${titled(r)}:`,
  messageFromDesk: (r) => `A note about your report ${titled(r)}:`,

  updateSubject: (n) => `News about your report #${n}`,
  forwarded: (r, upstream) => `With your consent, the team has shared your report ${titled(r)} with the ${upstream}.`,
  updated: (r) => `There is news about your report ${titled(r)}.`,
};

export const teamWordsEn: TeamMailWords = {
  instant: (d, tz) => formatMailInstant(d, tz, 'en'),
  stage: (s) => STAGE[s],
  state: (s) => TEAM_STATE[s] ?? s.replace(/_/g, ' '),
  footer: (project) => `You receive this as a member of the ${project} security desk. Report details are on the desk only.`,

  newReportSubject: (project, r) => `[${project}] New report #${r.number}: ${r.title}`,
  newReport: (r, channel, received) => `A new report ${titled(r)} came in through the ${channel} channel on ${received}.`,
  firstDeadline: (stage, deadline) => `Its ${STAGE[stage]} is due by ${deadline}.`,

  dueSoonSubject: (project, r, stage) => `[${project}] Report #${r.number}: ${STAGE[stage]} due soon`,
  dueSoon: (r, stage, deadline, bestEffort) => `The ${STAGE[stage]} of report ${titled(r)} is due by ${deadline}${bestEffort ? ' (a best-effort target)' : ''}.`,
  overdueSubject: (project, r, stage) => `[${project}] Report #${r.number}: ${STAGE[stage]} overdue`,
  overdue: (r, stage, deadline, bestEffort) => `The ${STAGE[stage]} of report ${titled(r)} was due by ${deadline}${bestEffort ? ' (a best-effort target)' : ''} and is overdue.`,
  open: 'Open the report:',

  digestSubject: (project, date, open, overdue) => `[${project}] Digest for ${date}: ${open} open, ${overdue} overdue`,
  digestIntro: (name, date) => `Hello ${name}, this is where the reports you can see stand on ${date}.`,
  digestNew: (n) => (n === 1 ? '1 report came in since the last digest.' : `${n} reports came in since the last digest.`),
  digestOverdue: 'Overdue',
  digestDueSoon: 'Due soon',
  digestOther: 'Open',
  digestLine: (r, state, next) => `- #${r.number} ${r.title} (${state})${next ? `: ${next}` : ''}`,
  digestNext: (stage, deadline, status) =>
    status === 'overdue' ? `${STAGE[stage]} overdue since ${deadline}` : status === 'paused' ? `${STAGE[stage]} paused (waiting on the reporter)` : `${STAGE[stage]} due by ${deadline}`,
  digestNothingOpen: 'No report is open.',
  digestFailedMail: (n, link) => `${n === 1 ? '1 e-mail' : `${n} e-mails`} could not be sent: ${link}`,
  digestInbox: (link) => `The inbox: ${link}`,

  invitationSubject: (project) => `Your invitation to the ${project} security desk`,
  invitation: (project, role, by, n) =>
    `${by ? `${by} invites you` : 'You are invited'} to the security desk of ${project} as ${role === 'admin' ? 'an admin' : `a ${role}`}${n !== null ? `, for report #${n}` : ''}.`,
  invitationLink: (expires) => `Create your account with this one-time link before ${expires}:`,
  invitationIgnore: 'If you did not expect this invitation, ignore this e-mail; the link expires on its own.',
};
