/** Words the seeded reports and advisories are made of: plausible, invented, never about a real flaw. */

export const FLAWS = [
  'World-readable secrets',
  'Log files served',
  'Default credentials left',
  'Directory listing enabled',
  'Debug endpoint reachable',
  'Root process',
  'Outdated OpenSSL',
  'Writable web root',
  'Cron job runs as root',
  'Session files readable',
  'Cache folder served',
  'Missing security headers',
  'Upload folder executes PHP',
  'Environment variables leaked',
  'Insecure file permissions',
] as const;

export const PLACES = [
  'in the Apache variant',
  'in the FPM variant',
  'in the entrypoint script',
  'in the default configuration',
  'under /var/www/html/var',
  'in the cron container',
  'in the worker container',
  'in the Compose example',
  'after an upgrade',
  'in the Helm chart values',
] as const;

export const DESCRIPTIONS = [
  'The image ships a configuration that lets any visitor read files outside the document root.',
  'A request to a predictable path returns the application log with contact e-mail addresses.',
  'The entrypoint copies the configuration with mode 0666, so every user in the container can change it.',
  'The container keeps running its main process as root although the Dockerfile could switch users.',
  'After the upgrade the old cache folder stays reachable over HTTP.',
  'The base image carries a library version with a published advisory.',
  'With the example Compose file the database port is published on every interface.',
  'The FPM pool listens on all interfaces instead of the loopback address.',
  'A header that would stop framing is missing from the default virtual host.',
  'I found this while reviewing our deployment; I have not published it anywhere.',
  'Steps are below; the problem appears on a fresh container with the default settings.',
  'The issue is present in every tag I tried, including the newest release.',
] as const;

export const TEAM_MESSAGES = [
  'Thank you for the report. We are looking into it and will come back to you.',
  'Could you tell us which tag and which environment variables you used?',
  'We can reproduce this and are preparing a fix for the next security window.',
  'A fix is in the next build; we will let you know when the advisory is out.',
] as const;

export const TEAM_NOTES = [
  'Reproduced on the newest tag; the FPM variant is not affected.',
  'Same root cause as an earlier report, fixed together.',
  'Needs a base image rebuild only.',
  'Checked with the upstream team: not in their code.',
] as const;

export const REPLIES = [
  'I used the default tag and the example Compose file, nothing changed.',
  'The environment variables are the ones from the documentation.',
  'Here is the request and the answer I got.',
] as const;
