/**
 * Helpers for the tag status and drift tests: registry clients with short timeouts that count
 * the requests they make, and an index pushed with annotations of its own.
 */
import { createRegistries, type Registries } from '../../src/adapters/registry/registries.js';
import type { RegistryClient } from '../../src/adapters/registry/client.js';
import type { Pushed, TestRegistry } from '../support/registry.js';

export interface CountingRegistries extends Registries {
  /** Requests made through the clients since the last reset, as "METHOD repo ref". */
  calls: string[];
}

/** Registries over loopback with fast failure, recording each client call. */
export function countingRegistries(plainHttp: string[] = []): CountingRegistries {
  const inner = createRegistries({ credentials: new Map(), plainHttp, clientOptions: { timeoutMs: 2000, retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 } } });
  const calls: string[] = [];
  const wrapped = new Map<string, RegistryClient>();
  return {
    calls,
    client(host) {
      const c = inner.client(host);
      let w = wrapped.get(c.registry);
      if (!w) {
        w = {
          registry: c.registry,
          ping: () => (calls.push('PING'), c.ping()),
          listTags: (repo) => (calls.push(`LIST ${repo}`), c.listTags(repo)),
          getManifest: (repo, ref, o) => (calls.push(`GET ${repo} ${ref}`), c.getManifest(repo, ref, o)),
          headManifest: (repo, ref) => (calls.push(`HEAD ${repo} ${ref}`), c.headManifest(repo, ref)),
          getConfig: (repo, m) => (calls.push(`CONFIG ${repo}`), c.getConfig(repo, m)),
        };
        wrapped.set(c.registry, w);
      }
      return w;
    },
  };
}

type Platform = { os: string; architecture: string; variant?: string };

/** An OCI index with annotations (the test Pusher's own index has none). */
export async function pushAnnotatedIndex(reg: TestRegistry, repo: string, tag: string, entries: { pushed: Pushed; platform: Platform }[], annotations: Record<string, string>): Promise<Pushed> {
  const mediaType = 'application/vnd.oci.image.index.v1+json';
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: e.pushed.digest, size: e.pushed.size, platform: e.platform })),
    annotations,
  });
  return reg.push.manifest(repo, tag, body, mediaType);
}

/** A two-platform image (amd64, arm64/v8) under `tag`; `salt` makes its content (and digests) new. */
export async function pushMultiArch(reg: TestRegistry, repo: string, tag: string, salt: string, spec: { annotations?: Record<string, string> } = {}) {
  const amd64 = await reg.push.image(repo, [], { platform: { os: 'linux', architecture: 'amd64' }, layerText: `${repo} amd64 ${salt}`, ...(spec.annotations ? { annotations: spec.annotations } : {}) });
  const arm64 = await reg.push.image(repo, [], { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layerText: `${repo} arm64 ${salt}`, ...(spec.annotations ? { annotations: spec.annotations } : {}) });
  const index = await reg.push.index(repo, tag, [
    { pushed: amd64, platform: { os: 'linux', architecture: 'amd64' } },
    { pushed: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ]);
  return { amd64, arm64, index };
}

export const BASE_NAME = 'org.opencontainers.image.base.name';
export const BASE_DIGEST = 'org.opencontainers.image.base.digest';
