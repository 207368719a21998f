// Uploads go straight to S3 with the presigned PUT URL the API returns. XMLHttpRequest rather than fetch:
// only it reports upload progress. The Content-Type must be the one the URL was signed for.
export class UploadError extends Error {
  override readonly name = 'UploadError';
}

export interface UploadOptions {
  url: string;
  file: Blob;
  contentType: string;
  /** 0 to 1, as bytes leave the browser. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  createRequest?: () => XMLHttpRequest;
}

export function uploadFile(options: UploadOptions): Promise<void> {
  const xhr = options.createRequest?.() ?? new XMLHttpRequest();
  return new Promise((resolve, reject) => {
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(1);
        resolve();
      } else if (xhr.status === 403) {
        reject(
          new UploadError('The upload link was refused or has expired (HTTP 403). Start the upload again.'),
        );
      } else {
        reject(new UploadError(`The storage refused the upload (HTTP ${xhr.status}). Try again.`));
      }
    });
    xhr.addEventListener('error', () =>
      reject(
        new UploadError(
          'The upload failed: the storage could not be reached. Check your connection and try again.',
        ),
      ),
    );
    xhr.addEventListener('abort', () => reject(new UploadError('The upload was cancelled.')));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.open('PUT', options.url);
    xhr.setRequestHeader('Content-Type', options.contentType);
    xhr.send(options.file);
  });
}
