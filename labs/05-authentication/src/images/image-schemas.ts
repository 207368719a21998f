/** JSON Schemas (draft 2020-12, as middy's validator compiles them) for the bodies the API accepts. */
const title = { type: 'string', minLength: 1, maxLength: 100 };
const description = { type: 'string', maxLength: 1000 };

export const newImageSchema = {
  type: 'object',
  required: ['title'],
  properties: { title, description },
  additionalProperties: false,
};

export const imageChangesSchema = {
  type: 'object',
  minProperties: 1,
  properties: { title, description },
  additionalProperties: false,
};
