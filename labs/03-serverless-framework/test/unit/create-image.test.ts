import { GROUPS_TABLE, IMAGES_TABLE } from '../support/environment';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseNewImage } from '../../src/core/create-image';
import { ValidationError } from '../../src/core/errors';
import { CONTENT_TYPES, MAX_TITLE_LENGTH } from '../../src/core/image';
import { handler } from '../../src/handlers/create-image';
import { bodyOf, call, messageOf } from '../support/http';

const dynamo = mockClient(DynamoDBDocumentClient);
const GROUP_ID = '5b0e6f5c-3f8e-4a53-9a43-7f1d0b8a6c01';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function postImage(body: unknown, groupId = GROUP_ID) {
  return call(handler, {
    method: 'POST',
    path: `/groups/${groupId}/images`,
    resource: '/groups/{groupId}/images',
    pathParameters: { groupId },
    headers: { 'Content-Type': 'application/json' },
    body,
  });
}

function rejectionOf(body: unknown): Error {
  try {
    parseNewImage(body);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`parseNewImage accepted ${JSON.stringify(body)}`);
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand, { TableName: GROUPS_TABLE }).resolves({ Item: { id: GROUP_ID } });
  dynamo.on(PutCommand).resolves({});
});

describe('parseNewImage', () => {
  it.each(CONTENT_TYPES)('accepts a title and the content type %s', (contentType) => {
    expect(parseNewImage({ title: 'Harbour at dusk', contentType })).toEqual({
      title: 'Harbour at dusk',
      contentType,
    });
  });

  it('trims white space around the title', () => {
    expect(parseNewImage({ title: '  Harbour  ', contentType: 'image/png' })).toEqual({
      title: 'Harbour',
      contentType: 'image/png',
    });
  });

  it(`accepts a title of exactly ${MAX_TITLE_LENGTH} characters, counting é and emoji as one each`, () => {
    const title = 'é'.repeat(MAX_TITLE_LENGTH - 1) + '📷';

    expect(parseNewImage({ title, contentType: 'image/jpeg' }).title).toBe(title);
  });

  it.each([
    ['null', null],
    ['an array', [{ title: 'Harbour', contentType: 'image/jpeg' }]],
    ['a string', 'Harbour'],
    ['a number', 42],
  ])('rejects %s with a ValidationError saying the body must be a JSON object', (_name, body) => {
    const error = rejectionOf(body);

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/object/i);
  });

  it.each([
    ['missing', { contentType: 'image/jpeg' }],
    ['empty', { title: '', contentType: 'image/jpeg' }],
    ['blank', { title: '   ', contentType: 'image/jpeg' }],
    ['not a string', { title: 7, contentType: 'image/jpeg' }],
  ])('rejects a title that is %s, naming the field', (_case, body) => {
    const error = rejectionOf(body);

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/title/);
  });

  it(`rejects a title over ${MAX_TITLE_LENGTH} characters, naming the limit`, () => {
    const error = rejectionOf({ title: 'a'.repeat(MAX_TITLE_LENGTH + 1), contentType: 'image/jpeg' });

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/title/);
    expect(error.message).toContain(String(MAX_TITLE_LENGTH));
  });

  it.each([
    ['missing', {}],
    ['not an image type', { contentType: 'application/pdf' }],
    ['in the wrong case', { contentType: 'IMAGE/JPEG' }],
  ])('rejects a contentType that is %s, listing the allowed ones', (_case, fields) => {
    const error = rejectionOf({ title: 'Harbour', ...fields });

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/contentType/);
    expect(error.message).toContain('image/jpeg');
  });

  it('rejects fields the model does not allow, naming them', () => {
    const error = rejectionOf({ title: 'Harbour', contentType: 'image/jpeg', userId: 'mallory' });

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('userId');
  });
});

describe('POST /groups/{groupId}/images', () => {
  it('answers 201 with the new image: a UUID, the group, the current time, the title and type', async () => {
    const before = Date.now();

    const response = await postImage({ title: 'Harbour at dusk', contentType: 'image/jpeg' });

    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
    const image = bodyOf(response) as Record<string, string>;
    expect(image).toEqual({
      imageId: expect.stringMatching(UUID) as unknown,
      groupId: GROUP_ID,
      timestamp: expect.any(String) as unknown,
      title: 'Harbour at dusk',
      contentType: 'image/jpeg',
    });
    expect(image.timestamp).toBe(new Date(image.timestamp ?? '').toISOString());
    expect(Date.parse(image.timestamp ?? '')).toBeGreaterThanOrEqual(before);
    expect(Date.parse(image.timestamp ?? '')).toBeLessThanOrEqual(Date.now());
  });

  it('stores exactly the image it answers with in the Images table', async () => {
    const response = await postImage({ title: 'Harbour at dusk', contentType: 'image/jpeg' });

    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: IMAGES_TABLE,
      Item: bodyOf(response) as never,
    });
  });

  it('gives every image its own id', async () => {
    const first = await postImage({ title: 'One', contentType: 'image/jpeg' });
    const second = await postImage({ title: 'Two', contentType: 'image/jpeg' });

    expect((bodyOf(first) as { imageId: string }).imageId).not.toBe(
      (bodyOf(second) as { imageId: string }).imageId,
    );
  });

  it('answers 404 naming the group, and stores nothing, when the group does not exist', async () => {
    dynamo.on(GetCommand).resolves({});

    const response = await postImage({ title: 'Harbour', contentType: 'image/jpeg' }, 'no-such-group');

    expect(response.statusCode).toBe(404);
    expect(messageOf(response)).toContain('no-such-group');
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 400 with a JSON message, and stores nothing, when the model was bypassed with a bad body', async () => {
    const response = await postImage({ title: '   ', contentType: 'image/gif' });

    expect(response.statusCode).toBe(400);
    expect(messageOf(response)).toMatch(/title/);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 400 when the body is not JSON', async () => {
    const response = await postImage('title=Harbour');

    expect(response.statusCode).toBe(400);
    expect(messageOf(response)).toMatch(/JSON/);
  });

  it('answers 400 when there is no body', async () => {
    const response = await postImage(undefined);

    expect(response.statusCode).toBe(400);
    expect(messageOf(response)).toMatch(/body/);
  });

  it('answers 409 instead of overwriting when an image of the group has the same timestamp', async () => {
    dynamo
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    const response = await postImage({ title: 'Harbour', contentType: 'image/jpeg' });

    expect(response.statusCode).toBe(409);
    expect(messageOf(response)).toMatch(/again/);
  });

  // BEGIN HIDDEN TESTS
  it('never lets the client choose the id, the group or the time', async () => {
    const response = await postImage({
      title: 'Harbour',
      contentType: 'image/jpeg',
      imageId: 'chosen',
      timestamp: '2000-01-01T00:00:00.000Z',
    });

    expect(response.statusCode).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });
  // END HIDDEN TESTS
});
