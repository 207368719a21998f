// The edge of POST /groups/{groupId}/images: every input checked, every refusal a JSON message with the fix.
import { apiGatewayEvent } from '@serverless-course/test-kit';
import { parseCreateImageRequest } from '../../src/http/create-image-request';
import { httpHandler } from '../../src/http/http-handler';

const parse = httpHandler(async (event) => ({ statusCode: 200, body: parseCreateImageRequest(event) }));

function request(body: unknown, groupId = 'g1') {
  return apiGatewayEvent({
    method: 'POST',
    path: `/groups/${groupId}/images`,
    resource: '/groups/{groupId}/images',
    pathParameters: { groupId },
    body,
  });
}

describe('parseCreateImageRequest', () => {
  it('accepts a title and a supported content type, trimming the title', async () => {
    const response = await parse(request({ title: '  Sunset  ', contentType: 'image/jpeg' }));

    expect(JSON.parse(response.body)).toEqual({ groupId: 'g1', title: 'Sunset', contentType: 'image/jpeg' });
  });

  it.each([
    ['a body that is not JSON', 'not json', /not valid JSON/],
    ['a missing title', { contentType: 'image/jpeg' }, /title is missing/],
    ['a title over 100 characters', { title: 'x'.repeat(101), contentType: 'image/jpeg' }, /at most 100/],
    ['an unsupported content type', { title: 'Sunset', contentType: 'image/gif' }, /image\/jpeg, image\/png/],
  ])('answers 400 with the fix for %s', async (_case, body, message) => {
    const response = await parse(request(body));

    expect(response.statusCode).toBe(400);
    expect((JSON.parse(response.body) as { message: string }).message).toMatch(message);
  });

  it('answers 400 for a group id that cannot be one', async () => {
    const response = await parse(request({ title: 'Sunset', contentType: 'image/jpeg' }, '../etc'));

    expect(response.statusCode).toBe(400);
  });
});
