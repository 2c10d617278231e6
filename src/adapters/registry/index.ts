export { createRegistryClient, LIMITS, type ManifestHead, type ManifestResult, type RegistryClient, type RegistryClientOptions, type RegistryCredentials } from './client.js';
export type { ImageMetadata } from './config-blob.js';
export { OCI_KEYS } from './config-blob.js';
export { formatPlatform, parsePlatform, platformsOf, selectPlatform, type Descriptor, type ImageIndex, type ImageManifest, type Platform, type PlatformWanted } from './manifest.js';
export * from './media-types.js';
export { schemeFor, isLoopback, type RegistryLog } from './transport.js';
