import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { registerImagesApi } from './api-images.js';
import { registerReporterApi } from './api-reporter.js';
import { registerCsafProvider } from './csaf-provider.js';
import { registerForgeWebhooks } from './forge-webhooks.js';
import { registerPublicAdvisories } from './public-advisories.js';
import { registerPublicFiles } from './public-files.js';
import { registerPublicImages } from './public-images.js';
import { registerPublicPages } from './public-pages.js';
import { registerPublicSubscriptions } from './public-subscriptions.js';
import { registerReportForm } from './report-form.js';
import { registerReporterView } from './reporter-view.js';
import { registerTeamAdvisories } from './team-advisories.js';
import { registerTeamAudit } from './team-audit.js';
import { registerTeamAuth } from './team-auth.js';
import { registerTeamMail } from './team-mail.js';
import { registerTeamImages } from './team-images.js';
import { registerTeamMembers } from './team-members.js';
import { registerTeamReleases } from './team-releases.js';
import { registerTeamRebuilds } from './team-rebuilds.js';
import { registerTeamReports } from './team-reports.js';
import { registerTeamWebhooks } from './team-webhooks.js';

export type RegisterRoutes = (app: FastifyInstance, ctx: Context) => Promise<void>;

/** Every route module of the desk, by audience: public, reporter, team, API. */
const modules: RegisterRoutes[] = [registerPublicFiles, registerPublicPages, registerPublicImages, registerPublicAdvisories, registerPublicSubscriptions, registerCsafProvider, registerReportForm, registerReporterView, registerReporterApi, registerImagesApi, registerTeamAuth, registerTeamMembers, registerTeamReports, registerTeamReleases, registerTeamAdvisories, registerTeamRebuilds, registerTeamImages, registerTeamMail, registerTeamWebhooks, registerTeamAudit, registerForgeWebhooks];

export async function registerRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  for (const register of modules) await register(app, ctx);
}
