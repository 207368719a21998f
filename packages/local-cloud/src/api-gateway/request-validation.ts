// Request body validation with `request.schemas` models, as API Gateway's body validator applies them: the
// model for the request's content type (absent → application/json), else the `$default` model, else no
// validation at all. Models are JSON Schema draft-04, so validators are ajv-draft-04's, compiled once when
// the API is created.
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { mediaTypeOf } from './media-types';

/** Undefined when the body may reach the function; otherwise why not, in API Gateway's log wording. */
export type BodyValidation = (contentType: string | undefined, body: Buffer) => string | undefined;

export class InvalidModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidModelError';
  }
}

export class ModelCompiler {
  // Models are often shared between routes; compiling each distinct schema once keeps startup short.
  private readonly compiled = new Map<string, ValidateFunction>();
  private ajv = newAjv();

  /** Undefined when the route has no models: nothing to validate. */
  compile(schemas: Record<string, object>, route: string): BodyValidation | undefined {
    const entries = Object.entries(schemas);
    if (entries.length === 0) return undefined;
    const byMediaType = new Map<string, ValidateFunction>();
    for (const [contentType, schema] of entries) {
      const key = contentType === '$default' ? '$default' : (mediaTypeOf(contentType) ?? contentType);
      byMediaType.set(key, this.validatorFor(schema, `${route} (${contentType})`));
    }
    const fallback = byMediaType.get('$default');
    return (contentType, body) => {
      const mediaType = mediaTypeOf(contentType) ?? 'application/json';
      const validate = byMediaType.get(mediaType) ?? fallback;
      if (!validate) return undefined;
      let instance: unknown;
      try {
        // API Gateway validates an empty body as an empty JSON object.
        instance = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch (error) {
        return `Request body is not valid JSON for content type ${mediaType}: ${(error as Error).message}`;
      }
      if (validate(instance)) return undefined;
      const errors = (validate.errors ?? [])
        .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
        .join('; ');
      return `Request body does not match model schema for content type ${mediaType}: [${errors}]`;
    };
  }

  private validatorFor(schema: object, where: string): ValidateFunction {
    const key = JSON.stringify(schema);
    const known = this.compiled.get(key);
    if (known) return known;
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(schema);
    } catch (error) {
      if (!String(error).includes('already exists')) {
        throw new InvalidModelError(
          `The request model of ${where} is not a valid JSON Schema draft-04 model: ${String(error)}. ` +
            'Fix the schema under request.schemas in serverless.yml.',
        );
      }
      // Two different models with the same `id`: each gets its own compiler, as each is its own API Gateway model.
      this.ajv = newAjv();
      validate = this.ajv.compile(schema);
    }
    this.compiled.set(key, validate);
    return validate;
  }
}

function newAjv(): Ajv {
  // Models carry keywords ajv's strict mode rejects (`title`, `$schema` variants, unknown formats).
  return new Ajv({ strict: false, validateFormats: false });
}
