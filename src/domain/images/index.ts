export type { RollingTarget, SupportRule, TagInfo, TagKind, TagScheme, TagStatus } from './tag-types.js';
export { classifyTag } from './classify-tag.js';
export { compareVersions, splitVersion } from './version-order.js';
export { compareTagInfos, sortTags } from './sort-tags.js';
export { resolveRolling } from './rolling.js';
export { applySupportRule, moveTo } from './support-rule.js';
export type { ImageReference, ReferenceErrorCode, ReferenceResult } from './reference.js';
export { formatReference, parseReference, referenceName, withDigest, withName, withTag } from './reference.js';
export {
  familiarMatch,
  familiarName,
  familiarString,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
} from './reference-normalize.js';
