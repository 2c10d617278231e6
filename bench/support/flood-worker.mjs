// A load generator for bench/flood.bench.ts, run in a worker thread so that its work does not
// share the desk's event loop. mode "team": one signed-in member reads the inbox, one request at a
// time, and reports each latency. mode "flood": autocannon sends report submissions and sign-in
// attempts, each from a random address (X-Forwarded-For; the desk trusts one proxy).
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

const { mode, base, durationMs } = workerData;
const randomAddress = () => `10.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${((Math.random() * 254) | 0) + 1}`;

if (mode === 'team') {
  const latencies = [];
  const statuses = {};
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const t = performance.now();
    const r = await globalThis.fetch(`${base}/team`, { headers: { cookie: workerData.cookie }, redirect: 'manual' });
    await r.arrayBuffer();
    latencies.push(performance.now() - t);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  parentPort.postMessage({ latencies, statuses });
} else {
  const withAddress = (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': randomAddress() } });
  const submit = { method: 'POST', path: '/api/v1/reports', headers: { 'content-type': 'application/json' }, body: workerData.reportBody, setupRequest: withAddress };
  const login = {
    method: 'POST',
    path: '/team/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: workerData.csrfCookie },
    setupRequest: (req) => withAddress({ ...req, body: new URLSearchParams({ _csrf: workerData.csrf, email: `guess${(Math.random() * 1e9) | 0}@example.org`, password: 'a guessed password' }).toString() }),
  };
  const run = (requests) => autocannon({ url: base, connections: workerData.connections, overallRate: workerData.rate, duration: durationMs / 1000, requests });
  const none = { requests: { sent: 0 }, '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, errors: 0, timeouts: 0 };
  const kinds = workerData.kinds ?? ['submit', 'login'];
  const [s, l] = await Promise.all([kinds.includes('submit') ? run([submit]) : none, kinds.includes('login') ? run([login]) : none]);
  const statuses = (r) => ({ sent: r.requests.sent, answered: r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'], '2xx': r['2xx'], '4xx': r['4xx'], '5xx': r['5xx'], errors: r.errors, timeouts: r.timeouts });
  const answered = statuses(s).answered + statuses(l).answered;
  parentPort.postMessage({ submit: statuses(s), login: statuses(l), perSec: answered / (durationMs / 1000) });
}
