import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A real IMAP server for the tests: Debian's dovecot (package dovecot-imapd), started in the
 * foreground with its own configuration in a temporary folder, listening on 127.0.0.1 only, with
 * passwd-file users and maildirs in that folder. It runs unprivileged: as the test's own user, or,
 * when the tests run as root (CI), as `nobody` (dovecot's login processes refuse to run as root).
 * The system's dovecot service and /etc/dovecot are never touched.
 */

const DOVECOT = ['/usr/sbin/dovecot', '/usr/bin/dovecot'].find((p) => existsSync(p)) ?? null;

/** Why the IMAP tests cannot run here, or null. With CVDESK_REQUIRE_IMAP=1 a missing dovecot is a failure, not a skip. */
export function dovecotMissing(): string | null {
  if (DOVECOT) return null;
  const why = 'dovecot is not installed (apt-get install dovecot-imapd); IMAP tests skipped';
  if (process.env.CVDESK_REQUIRE_IMAP === '1') throw new Error(`CVDESK_REQUIRE_IMAP=1 but ${why.replace('; IMAP tests skipped', '')}`);
  return why;
}

export interface Dovecot {
  /** Plain IMAP (no STARTTLS offered unless tls was given). */
  port: number;
  /** Implicit TLS (imaps), when tls was given. */
  tlsPort: number | null;
  dir: string;
  /** What dovecot logged, for a failing test to show. */
  log(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Starts dovecot with these users (name → password); with tls, STARTTLS and imaps with that certificate. */
export async function startDovecot(o: { users: Record<string, string>; tls?: { cert: string; key: string } }): Promise<Dovecot> {
  if (!DOVECOT) throw new Error('dovecot is not installed');
  const root = process.getuid?.() === 0;
  const me = root ? { user: 'nobody', group: 'nogroup', uid: 65534, gid: 65534 } : { user: userInfo().username, group: execFileSync('id', ['-gn']).toString().trim(), uid: process.getuid!(), gid: process.getgid!() };
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-dovecot-'));
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  // passwd-file: user:{PLAIN}password; dovecot reads the scheme prefix, so any password characters but ':' and newline work
  writeFileSync(join(dir, 'passwd'), Object.entries(o.users).map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(''));
  if (o.tls) {
    writeFileSync(join(dir, 'cert.pem'), o.tls.cert);
    writeFileSync(join(dir, 'key.pem'), o.tls.key, { mode: 0o600 });
  }
  const port = await freePort();
  const tlsPort = o.tls ? await freePort() : null;
  const conf = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    o.tls ? `ssl = yes\nssl_cert = <${dir}/cert.pem\nssl_key = <${dir}/key.pem\nssl_min_protocol = TLSv1.2` : 'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `default_internal_user = ${me.user}`,
    `default_internal_group = ${me.group}`,
    `default_login_user = ${me.user}`,
    `first_valid_uid = ${me.uid}`,
    `first_valid_gid = ${me.gid}`,
    `mail_location = maildir:${dir}/mail/%u`,
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/passwd\n}`,
    `userdb {\n  driver = static\n  args = uid=${me.uid} gid=${me.gid} home=${dir}/mail/%u\n}`,
    `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    address = 127.0.0.1\n    port = ${tlsPort ?? 0}\n  }\n}`,
    'service anvil {\n  chroot =\n}',
    'service stats {\n  chroot =\n}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'dovecot.conf'), conf);
  if (root) execFileSync('chown', ['-R', `${me.uid}:${me.gid}`, dir]);
  else chownSync(dir, me.uid, me.gid);

  const args = ['-F', '-c', join(dir, 'dovecot.conf')];
  const child: ChildProcess = root
    ? spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', DOVECOT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(DOVECOT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const log = () => {
    let file = '';
    try {
      file = readFileSync(join(dir, 'dovecot.log'), 'utf8');
    } catch {
      // not written yet
    }
    return `${output}${file}`;
  };
  const deadline = Date.now() + 20_000;
  while (!(await accepting(port)) || (tlsPort !== null && !(await accepting(tlsPort)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot did not start:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    tlsPort,
    dir,
    log,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A self-signed certificate for 127.0.0.1 and localhost (openssl), for imaps/STARTTLS. */
export function selfSignedCert(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-imap-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
