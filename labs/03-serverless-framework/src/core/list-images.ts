import { assertGroupExists } from './groups';
import type { Image } from './image';
import type { GroupRepository, ImageRepository } from './ports';

/** One page of a group's images. A Query reads at most 1 MB anyway; Lab 02's nextKey pages further. */
export const MAX_IMAGES_LISTED = 100;

export interface ListImagesDependencies {
  images: ImageRepository;
  groups: GroupRepository;
}

/** GET /groups/{groupId}/images: the group's newest images first; NotFoundError for an unknown group. */
export async function listImages(
  groupId: string,
  { images, groups }: ListImagesDependencies,
): Promise<Image[]> {
  // BEGIN SOLUTION list-images
  // TODO(list-images): throw NotFoundError for an unknown group, then list its newest MAX_IMAGES_LISTED images
  await assertGroupExists(groups, groupId);
  return images.listByGroup(groupId, MAX_IMAGES_LISTED);
  // END SOLUTION
}
