/**
 * The body of the intake benchmarks: a report as a reporter's script would send it to
 * POST /api/v1/reports for the example policy (examples/policies/mautic-docker.yaml), about 2 KB of JSON.
 */
const paragraph =
  'The admin login form of the image reflects the "returnUrl" parameter into the page without escaping it, so a crafted link runs script in the session of an administrator who follows it. ';

export const REPORT_BODY = JSON.stringify({
  title: 'Reflected XSS in the login form of the apache variant',
  image: 'docker.io/mautic/mautic',
  tag: '5.2.1-apache',
  description: paragraph.repeat(6).trim(),
  steps: '1. docker run -p 8080:80 mautic/mautic:5.2.1-apache\n2. Open http://localhost:8080/s/login?returnUrl=%22%3E%3Csvg%20onload%3Dalert(1)%3E\n3. The alert shows.',
  impact: 'Account takeover of an administrator; from there, code execution through the plugin upload.',
  cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N',
  reporterName: 'Bench Reporter',
  reporterEmail: 'reporter@example.org',
  credit: { wish: 'name', name: 'Bench Reporter' },
  language: 'en',
});
