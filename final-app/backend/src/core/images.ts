// Use cases for images: list a group's, create one (with its upload URL), read, delete one's own, search.
import { getGroup } from './groups';
import { ForbiddenError, NotFoundError } from './errors';
import type { ContentType, Image, ImageRecord, Page } from './model';
import type {
  Clock,
  GroupRepository,
  IdGenerator,
  ImageRepository,
  ImageStorage,
  Notifier,
  PageTokens,
  SearchIndex,
} from './ports';

export interface ImageDependencies {
  groups: GroupRepository;
  images: ImageRepository;
  storage: ImageStorage;
  pageTokens: PageTokens;
  notifier: Notifier;
  search: SearchIndex;
  clock: Clock;
  ids: IdGenerator;
}

/** The record with fresh URLs: presigned URLs expire, so they are made per answer, never stored. */
export async function toImage(storage: ImageStorage, record: ImageRecord): Promise<Image> {
  const { thumbnailKey, ...fields } = record;
  const [imageUrl, thumbnailUrl] = await Promise.all([
    storage.readUrl(storage.originalKey(record.imageId)),
    thumbnailKey === undefined ? undefined : storage.readUrl(thumbnailKey),
  ]);
  return { ...fields, imageUrl, ...(thumbnailUrl === undefined ? {} : { thumbnailUrl }) };
}

export async function listImages(
  deps: Pick<ImageDependencies, 'groups' | 'images' | 'storage' | 'pageTokens'>,
  request: { groupId: string; limit: number; nextKey?: string },
): Promise<Page<Image>> {
  const cursor = request.nextKey === undefined ? undefined : deps.pageTokens.decode(request.nextKey);
  await getGroup(deps, request.groupId);
  const page = await deps.images.listByGroup(request.groupId, request.limit, cursor);
  return {
    items: await Promise.all(page.items.map((record) => toImage(deps.storage, record))),
    ...(page.cursor ? { nextKey: deps.pageTokens.encode(page.cursor) } : {}),
  };
}

export async function createImage(
  deps: Pick<ImageDependencies, 'groups' | 'images' | 'storage' | 'clock' | 'ids'>,
  request: { groupId: string; userId: string; title: string; contentType: ContentType },
): Promise<{ image: Image; uploadUrl: string }> {
  await getGroup(deps, request.groupId);
  const record: ImageRecord = {
    imageId: deps.ids.next(),
    groupId: request.groupId,
    userId: request.userId,
    title: request.title,
    contentType: request.contentType,
    timestamp: deps.clock.now().toISOString(),
    status: 'pending',
  };
  await deps.images.create(record);
  const [image, uploadUrl] = await Promise.all([
    toImage(deps.storage, record),
    deps.storage.uploadUrl(record.imageId, record.contentType),
  ]);
  return { image, uploadUrl };
}

export async function getImage(
  deps: Pick<ImageDependencies, 'images' | 'storage'>,
  imageId: string,
): Promise<Image> {
  const record = await deps.images.get(imageId);
  if (!record) throw imageNotFound(imageId);
  return toImage(deps.storage, record);
}

export async function deleteImage(
  deps: Pick<ImageDependencies, 'images' | 'storage' | 'notifier'>,
  request: { imageId: string; userId: string },
): Promise<void> {
  const record = await deps.images.get(request.imageId);
  if (!record) throw imageNotFound(request.imageId);
  if (record.userId !== request.userId) {
    throw new ForbiddenError(
      `Image ${request.imageId} belongs to another user. Only its owner can delete it; sign in as that user`,
    );
  }
  // The condition in deleteOwned settles a race with another delete of the same image.
  if (!(await deps.images.deleteOwned(request.imageId, request.userId))) throw imageNotFound(request.imageId);
  await deps.storage.remove(request.imageId);
  await deps.notifier.broadcast({ type: 'image-deleted', imageId: request.imageId });
}

export async function searchImages(
  deps: Pick<ImageDependencies, 'images' | 'storage' | 'search'>,
  request: { query: string; limit: number },
): Promise<{ items: Image[] }> {
  const ids = await deps.search.search(request.query, request.limit);
  if (ids.length === 0) return { items: [] };
  // The index lags the table by a moment, so an image deleted since is left out here.
  const records = new Map((await deps.images.getMany(ids)).map((record) => [record.imageId, record]));
  const found = ids.flatMap((id) => {
    const record = records.get(id);
    return record ? [record] : [];
  });
  return { items: await Promise.all(found.map((record) => toImage(deps.storage, record))) };
}

function imageNotFound(imageId: string): NotFoundError {
  return new NotFoundError(
    `No image has the id ${imageId}. List a group's images with GET /groups/{groupId}/images`,
  );
}
