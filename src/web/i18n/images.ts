import type { TagKind } from '../../domain/images/tag-types.js';
import type { TagStatusProblem } from '../../app/images/tag-status.js';
import type { UiLanguage } from './languages.js';

/** Words of the public image pages (/images): is my tag supported, and where do I move? */
export interface ImageWords {
  nav: string;
  title: string;
  lead: string;
  noImages: string;
  repository: string;
  tag: string;
  tagHint: string;
  check: string;
  checkAnother: string;
  needTag: string;
  needRepository: string;
  receives: string;
  notReceives: string;
  why: string;
  kind: string;
  kinds: Record<TagKind, string>;
  digest: string;
  pointsTo: string;
  pointsToBy: { digest: string; rule: string };
  pointsNowhere: string;
  advisories: string;
  noAdvisories: string;
  moveTo(tag: string): string;
  moveToLabel: string;
  newest: string;
  nothingToMoveTo: string;
  pointsToNewest(tag: string): string;
  inventoryAsOf: string;
  neverSynced: string;
  apiHint: string;
  problems: Record<TagStatusProblem, (repository: string, tag: string) => string>;
}

export const imageWords: Record<UiLanguage, ImageWords> = {
  en: {
    nav: 'Image tags',
    title: 'Is my image tag supported?',
    lead: 'Pick the image and enter the tag you run. The answer says whether the tag receives security advisories under our policy, which published advisories affect it, and which tag to move to.',
    noImages: 'This project lists no container images.',
    repository: 'Image',
    tag: 'Tag',
    tagHint: 'As in the image reference after the colon, e.g. 5.2.1-apache or latest.',
    check: 'Check the tag',
    checkAnother: 'Check another tag',
    needTag: 'Enter a tag.',
    needRepository: 'Pick one of the images.',
    receives: 'This tag receives security advisories.',
    notReceives: 'This tag does not receive security advisories.',
    why: 'Why',
    kind: 'Kind of tag',
    kinds: { release: 'release', prerelease: 'pre-release', rolling: 'rolling tag (moves with new releases)', build: 'build tag', unknown: "outside the project's tag scheme" },
    digest: 'Digest',
    pointsTo: 'Points to',
    pointsToBy: { digest: 'same image digest', rule: 'by its name' },
    pointsNowhere: 'no release in the registry',
    advisories: 'Advisories that affect it',
    noAdvisories: 'No published advisory affects this tag.',
    moveTo: (tag) => `Move to ${tag}, the newest supported release of its variant.`,
    moveToLabel: 'Move to',
    newest: 'You are on the newest supported release of this variant.',
    nothingToMoveTo: 'There is no supported tag of this variant to move to.',
    pointsToNewest: (tag) => `It points to the newest supported release; to pin it, use ${tag}.`,
    inventoryAsOf: 'Registry data as of',
    neverSynced: 'not yet read from the registry',
    apiHint: 'The same answer as JSON:',
    problems: {
      'bad-repository': (repo) => `"${repo}" is not an image name.`,
      'bad-tag': (_repo, tag) => `"${tag}" is not an image tag: tags are letters, digits, "_", "." and "-", at most 128.`,
      'not-in-policy': (repo) => `${repo} is not one of the images of this project.`,
      'not-synced': (repo) => `The tags of ${repo} have not been read from the registry yet. Try again later.`,
      'no-such-tag': (repo, tag) => `${repo} has no tag ${tag}.`,
    },
  },
  de: {
    nav: 'Image-Tags',
    title: 'Wird mein Image-Tag unterstützt?',
    lead: 'Wählen Sie das Image und geben Sie den Tag ein, den Sie betreiben. Die Antwort sagt, ob der Tag nach unserer Richtlinie Sicherheitshinweise erhält, welche veröffentlichten Hinweise ihn betreffen und auf welchen Tag Sie wechseln sollten.',
    noImages: 'Dieses Projekt nennt keine Container-Images.',
    repository: 'Image',
    tag: 'Tag',
    tagHint: 'Wie in der Image-Referenz nach dem Doppelpunkt, z. B. 5.2.1-apache oder latest.',
    check: 'Tag prüfen',
    checkAnother: 'Einen anderen Tag prüfen',
    needTag: 'Geben Sie einen Tag ein.',
    needRepository: 'Wählen Sie eines der Images.',
    receives: 'Dieser Tag erhält Sicherheitshinweise.',
    notReceives: 'Dieser Tag erhält keine Sicherheitshinweise.',
    why: 'Begründung',
    kind: 'Art des Tags',
    kinds: { release: 'Release', prerelease: 'Vorabversion', rolling: 'mitlaufender Tag (wechselt mit neuen Releases)', build: 'Build-Tag', unknown: 'außerhalb des Tag-Schemas des Projekts' },
    digest: 'Digest',
    pointsTo: 'Zeigt auf',
    pointsToBy: { digest: 'gleicher Image-Digest', rule: 'nach seinem Namen' },
    pointsNowhere: 'kein Release in der Registry',
    advisories: 'Betroffen von',
    noAdvisories: 'Kein veröffentlichter Sicherheitshinweis betrifft diesen Tag.',
    moveTo: (tag) => `Wechseln Sie zu ${tag}, dem neuesten unterstützten Release dieser Variante.`,
    moveToLabel: 'Wechseln zu',
    newest: 'Sie nutzen das neueste unterstützte Release dieser Variante.',
    nothingToMoveTo: 'Es gibt keinen unterstützten Tag dieser Variante, auf den Sie wechseln könnten.',
    pointsToNewest: (tag) => `Er zeigt auf das neueste unterstützte Release; fest angeben können Sie es als ${tag}.`,
    inventoryAsOf: 'Stand der Registry-Daten',
    neverSynced: 'noch nicht aus der Registry gelesen',
    apiHint: 'Dieselbe Antwort als JSON:',
    problems: {
      'bad-repository': (repo) => `„${repo}“ ist kein Image-Name.`,
      'bad-tag': (_repo, tag) => `„${tag}“ ist kein Image-Tag: Tags bestehen aus Buchstaben, Ziffern, „_“, „.“ und „-“, höchstens 128 Zeichen.`,
      'not-in-policy': (repo) => `${repo} ist keines der Images dieses Projekts.`,
      'not-synced': (repo) => `Die Tags von ${repo} wurden noch nicht aus der Registry gelesen. Versuchen Sie es später noch einmal.`,
      'no-such-tag': (repo, tag) => `${repo} hat keinen Tag ${tag}.`,
    },
  },
};
