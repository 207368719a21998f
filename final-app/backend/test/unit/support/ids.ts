export const GROUP_ID = '5b4c0a5e-1f0e-4d8e-9c1a-2b3c4d5e6f70';
export const IMAGE_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const OTHER_ID = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

export const group = {
  id: GROUP_ID,
  name: 'Cats',
  description: 'Cats being cats',
  userId: 'alice',
  timestamp: '2026-01-02T03:04:05.000Z',
};

export const imageRecord = {
  imageId: IMAGE_ID,
  groupId: GROUP_ID,
  userId: 'alice',
  title: 'Sleepy cat',
  contentType: 'image/jpeg' as const,
  timestamp: '2026-01-02T03:05:00.000Z',
  status: 'uploaded' as const,
  thumbnailKey: `thumbnails/${IMAGE_ID}.jpeg`,
};
