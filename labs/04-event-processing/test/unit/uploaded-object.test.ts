// The S3 event inside an SNS message: what both subscribers read.
import { s3Event, snsEvent } from '@serverless-course/test-kit';
import { uploadsFromSnsEvent } from '../../src/core/uploaded-object';

describe('uploadsFromSnsEvent', () => {
  it('reads the uploads from the S3 event S3 published, keys decoded and ids parsed', () => {
    const event = snsEvent({
      message: s3Event({ bucket: 'images', key: 'images/g 1/abc.png', eTag: 'e1', size: 42 }),
    });

    expect(uploadsFromSnsEvent(event)).toEqual([
      expect.objectContaining({
        bucket: 'images',
        key: 'images/g 1/abc.png',
        groupId: 'g 1',
        imageId: 'abc',
        eTag: 'e1',
        size: 42,
      }),
    ]);
  });

  it('ignores the s3:TestEvent S3 publishes when the notification is configured', () => {
    const event = snsEvent({
      message: {
        Service: 'Amazon S3',
        Event: 's3:TestEvent',
        Time: '2026-03-01T10:00:00.000Z',
        Bucket: 'images',
      },
    });

    expect(uploadsFromSnsEvent(event)).toEqual([]);
  });

  it('ignores objects that are not uploads and removals', () => {
    const event = snsEvent({
      message: {
        Records: [
          ...s3Event({ bucket: 'images', key: 'notes.txt' }).Records,
          ...s3Event({ bucket: 'images', key: 'images/g1/abc.jpg', eventName: 'ObjectRemoved:Delete' })
            .Records,
        ],
      },
    });

    expect(uploadsFromSnsEvent(event)).toEqual([]);
  });
});
