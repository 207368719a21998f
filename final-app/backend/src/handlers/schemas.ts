// JSON Schemas of the requests, checked before any handler runs. Each property's errorMessage says what is
// wrong and how to fix it. Strings refuse lone UTF-16 surrogates: they are not text, and DynamoDB would
// refuse them with a 500 instead of the 400 they deserve.
import { CONTENT_TYPES } from '../core/model';

const WELL_FORMED = '^[^\\uD800-\\uDFFF]*$';
const WELL_FORMED_NOT_BLANK = '^(?=[^]*\\S)[^\\uD800-\\uDFFF]*$';

export function text(minLength: number, maxLength: number, errorMessage: string): object {
  return {
    type: 'string',
    minLength,
    maxLength,
    pattern: minLength > 0 ? WELL_FORMED_NOT_BLANK : WELL_FORMED,
    errorMessage,
  };
}

const uuid = (name: string) => ({
  type: 'string',
  format: 'uuid',
  errorMessage: `${name} must be a UUID, such as 3f1e1b5a-8c1e-4a7e-9b1a-0c4d2e6f8a90. Use an id the API gave you`,
});

export const LIMIT_RANGE = { min: 1, max: 100, default: 20 };

const limit = {
  type: 'string',
  pattern: '^([1-9][0-9]?|100)$',
  errorMessage: 'limit must be a whole number from 1 to 100. Send ?limit=20, or leave it out for 20',
};

const nextKey = {
  type: 'string',
  maxLength: 4096,
  pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
  errorMessage:
    'nextKey is not a key this API gave out. Send back the nextKey of the previous page unchanged, or leave it out for the first page',
};

const pageQuery = {
  type: ['object', 'null'],
  properties: { limit, nextKey },
};

function pathOf(names: string[]): object {
  return {
    type: 'object',
    required: names,
    properties: Object.fromEntries(names.map((name) => [name, uuid(name)])),
  };
}

export const listGroupsSchema = {
  type: 'object',
  properties: { queryStringParameters: pageQuery },
};

export const createGroupSchema = {
  type: 'object',
  required: ['body'],
  properties: {
    body: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: text(
          1,
          100,
          'name must be text of 1 to 100 characters, not only spaces. Send {"name": "Cats"}',
        ),
        description: {
          ...text(
            0,
            1000,
            'description must be text of at most 1,000 characters. Shorten it, or leave it out',
          ),
          default: '',
        },
      },
      errorMessage: {
        type: 'The body must be a JSON object. Send {"name": "Cats", "description": "..."}',
        required: 'The body needs a name. Send {"name": "Cats", "description": "..."}',
        additionalProperties: 'The body may hold only name and description. Remove the other fields',
      },
    },
  },
};

export const groupIdSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: { pathParameters: pathOf(['groupId']) },
};

export const listImagesSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: { pathParameters: pathOf(['groupId']), queryStringParameters: pageQuery },
};

export const createImageSchema = {
  type: 'object',
  required: ['pathParameters', 'body'],
  properties: {
    pathParameters: pathOf(['groupId']),
    body: {
      type: 'object',
      required: ['title', 'contentType'],
      additionalProperties: false,
      properties: {
        title: text(
          1,
          200,
          'title must be text of 1 to 200 characters, not only spaces. Send {"title": "My cat"}',
        ),
        contentType: {
          type: 'string',
          enum: [...CONTENT_TYPES],
          errorMessage: `contentType must be one of ${CONTENT_TYPES.join(', ')}. Send the type of the file to upload`,
        },
      },
      errorMessage: {
        type: 'The body must be a JSON object. Send {"title": "My cat", "contentType": "image/jpeg"}',
        required:
          'The body needs a title and a contentType. Send {"title": "My cat", "contentType": "image/jpeg"}',
        additionalProperties: 'The body may hold only title and contentType. Remove the other fields',
      },
    },
  },
};

export const imageIdSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: { pathParameters: pathOf(['imageId']) },
};

export const SEARCH_LIMIT = { max: 50, default: 20 };

export const searchImagesSchema = {
  type: 'object',
  required: ['queryStringParameters'],
  properties: {
    queryStringParameters: {
      type: 'object',
      required: ['q'],
      properties: {
        q: text(1, 100, 'q must be text of 1 to 100 characters. Send ?q=cat'),
        limit: {
          type: 'string',
          pattern: '^([1-9]|[1-4][0-9]|50)$',
          errorMessage: 'limit must be a whole number from 1 to 50. Send ?limit=20, or leave it out for 20',
        },
      },
      errorMessage: {
        type: 'The search needs words to look for. Send ?q=cat',
        required: 'The search needs words to look for. Send ?q=cat',
      },
    },
  },
  errorMessage: { required: 'The search needs words to look for. Send ?q=cat' },
};

/** The limit of a validated query string. */
export function limitOf(query: Record<string, string | undefined> | null, fallback: number): number {
  return query?.limit === undefined ? fallback : Number(query.limit);
}
