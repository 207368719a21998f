import type { GroupRepository } from '../ports/group-repository';
import type { ImageRepository } from '../ports/image-repository';
import type { UploadSigner } from '../ports/upload-signer';
import { NotFoundError } from './errors';
import { uploadKey, type Image, type UploadContentType } from './image';

export interface CreateImageDependencies {
  groups: GroupRepository;
  images: ImageRepository;
  signer: UploadSigner;
  newId: () => string;
  now: () => Date;
  /** From configuration (UPLOAD_URL_EXPIRES_SECONDS), never from the request. */
  uploadUrlExpiresSeconds: number;
}

export interface CreateImageInput {
  groupId: string;
  title: string;
  contentType: UploadContentType;
}

export interface CreatedImage {
  image: Image;
  /** A presigned PUT: the client sends the bytes there, with the same Content-Type, before it expires. */
  uploadUrl: string;
  uploadUrlExpiresAt: string;
}

/**
 * Records a new image of an existing group and hands back where to upload it. The bytes never pass through
 * Lambda or API Gateway: the client PUTs them straight to S3.
 */
export async function createImage(
  deps: CreateImageDependencies,
  input: CreateImageInput,
): Promise<CreatedImage> {
  // BEGIN SOLUTION upload-url
  // TODO(upload-url): check the group exists, save the image with its upload key, and presign the upload.
  if (!(await deps.groups.exists(input.groupId))) {
    throw new NotFoundError(
      `Group ${input.groupId} does not exist. Create it first with POST /groups, or check the id in the path.`,
    );
  }
  const imageId = deps.newId();
  const now = deps.now();
  const image: Image = {
    groupId: input.groupId,
    imageId,
    timestamp: now.toISOString(),
    title: input.title,
    contentType: input.contentType,
    key: uploadKey(input.groupId, imageId, input.contentType),
  };
  await deps.images.save(image);
  const uploadUrl = await deps.signer.signUpload({
    key: image.key,
    contentType: image.contentType,
    expiresInSeconds: deps.uploadUrlExpiresSeconds,
  });
  const expiresAt = new Date(now.getTime() + deps.uploadUrlExpiresSeconds * 1000);
  return { image, uploadUrl, uploadUrlExpiresAt: expiresAt.toISOString() };
  // END SOLUTION
}
