import type { UploadContentType } from '../core/image';

export interface UploadRequest {
  key: string;
  contentType: UploadContentType;
  expiresInSeconds: number;
}

/** Issues URLs that let a client upload one object, of one content type, for a limited time. */
export interface UploadSigner {
  signUpload(request: UploadRequest): Promise<string>;
}
