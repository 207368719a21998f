// POST /groups/{groupId}/images {title, contentType}: records the image (pending) and answers the URL the
// browser PUTs the file to, with that Content-Type.
import { createImage } from '../core/images';
import type { ContentType } from '../core/model';
import { clock, groups, ids, images, storage } from './dependencies';
import { httpHandler, json, userIdOf } from './http';
import { createImageSchema } from './schemas';

export const handler = httpHandler<{ title: string; contentType: ContentType }>(
  async (event) => {
    const created = await createImage(
      { groups: groups(), images: images(), storage: storage(), clock, ids },
      {
        groupId: event.pathParameters!.groupId!,
        userId: userIdOf(event),
        title: event.body.title,
        contentType: event.body.contentType,
      },
    );
    return json(201, created);
  },
  { eventSchema: createImageSchema, jsonBody: true },
);
