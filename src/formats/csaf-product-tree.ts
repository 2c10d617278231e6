/**
 * The CSAF product tree of an advisory's images: vendor (the project) > product_name (the image
 * repository) > product_version (the tag) > the image. A tag that carried two images in the
 * advisory's time (a rebuild: the affected one and the fixed one) gets a patch_level branch per
 * digest. Every image has a pkg:oci purl with its digest and tag.
 */
import { ociPurl } from '../domain/advisories/purl.js';
import type { ImageProduct } from '../domain/advisories/resolve.js';
import type { AdvisoryView } from '../domain/advisories/view.js';
import { compareTagInfos } from '../domain/images/sort-tags.js';

export interface CsafProduct {
  name: string;
  product_id: string;
  product_identification_helper: { purl: string };
}

export interface CsafBranch {
  category: 'vendor' | 'product_name' | 'product_version' | 'patch_level';
  name: string;
  branches?: CsafBranch[];
  product?: CsafProduct;
}

export interface ProductTree {
  branches: CsafBranch[];
  /** product_id of an image, by `${image}:${tag}@${digest}`. */
  idOf(p: Pick<ImageProduct, 'image' | 'tag' | 'digest'>): string;
}

const ref = (p: Pick<ImageProduct, 'image' | 'tag' | 'digest'>): string => `${p.image}:${p.tag}@${p.digest}`;

/** Short, readable, unique ids: image:tag@sha256:<12 hex>, longer only when 12 hex digits collide. */
function assignIds(products: ImageProduct[]): Map<string, string> {
  for (const length of [12, 64, 128]) {
    const ids = new Map(products.map((p) => [ref(p), `${p.image}:${p.tag}@${p.digest.slice(0, p.digest.indexOf(':') + 1 + length)}`]));
    if (new Set(ids.values()).size === ids.size) return ids;
  }
  return new Map(products.map((p) => [ref(p), ref(p)]));
}

export function buildProductTree(view: AdvisoryView, images = view.images): ProductTree {
  const all = images.flatMap((i) => [...i.affected, ...i.fixed, ...i.notAffected]);
  const unique = [...new Map(all.map((p) => [ref(p), p])).values()];
  const ids = assignIds(unique);
  const idOf = (p: Pick<ImageProduct, 'image' | 'tag' | 'digest'>): string => ids.get(ref(p)) ?? ref(p);
  const product = (p: ImageProduct): CsafProduct => ({ name: ref(p), product_id: idOf(p), product_identification_helper: { purl: ociPurl(p.image, p.digest, p.tag) } });

  const repositories: CsafBranch[] = [];
  for (const image of images) {
    const inImage = unique.filter((p) => p.image === image.name).sort((a, b) => compareTagInfos(a, b) || (a.digest < b.digest ? -1 : 1));
    if (inImage.length === 0) continue;
    const tags = [...new Set(inImage.map((p) => p.tag))];
    repositories.push({
      category: 'product_name',
      name: image.name,
      branches: tags.map((tag): CsafBranch => {
        const images = inImage.filter((p) => p.tag === tag);
        const only = images.length === 1 ? images[0] : undefined;
        return only
          ? { category: 'product_version', name: tag, product: product(only) }
          : { category: 'product_version', name: tag, branches: images.map((p): CsafBranch => ({ category: 'patch_level', name: p.digest, product: product(p) })) };
      }),
    });
  }
  return { branches: repositories.length ? [{ category: 'vendor', name: view.project.name, branches: repositories }] : [], idOf };
}
