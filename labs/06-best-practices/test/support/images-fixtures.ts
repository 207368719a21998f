// The app wired to test doubles: a seeded in-memory repository, a probe that knows a few URLs, fixed ids
// and time. Every adapter test and the direct integration run start from here.
import { createImagesApi } from '../../src/app/images-api';
import type { ImagesApi } from '../../src/app/api-types';
import { MemoryImageRepository } from '../../src/adapters/memory-image-repository';
import type { Image } from '../../src/core/image';
import type { ImageProbe } from '../../src/core/ports';

export const SEEDED: Image = {
  groupId: 'g1',
  imageId: 'i1',
  title: 'Harbour at dawn',
  imageUrl: 'https://images.example/harbour.jpg',
  createdAt: '2024-05-01T08:00:00.000Z',
};

/** Answers image/jpeg for .jpg URLs, text/html for others, and fails for the host down.example. */
export const fakeProbe: ImageProbe = {
  contentType: (url) => {
    if (new URL(url).hostname === 'down.example') return Promise.reject(new Error('connection refused'));
    return Promise.resolve(url.endsWith('.jpg') ? 'image/jpeg' : 'text/html');
  },
};

export function testImagesApi(): ImagesApi {
  let next = 0;
  return createImagesApi({
    images: new MemoryImageRepository([SEEDED]),
    probe: fakeProbe,
    newId: () => `id-${++next}`,
    now: () => new Date('2024-06-01T12:00:00.000Z'),
  });
}
