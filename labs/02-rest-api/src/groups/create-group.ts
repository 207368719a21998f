// POST /groups, the use case: check what the client sent, then let the server choose the id and the time.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, type Group, type NewGroup } from './group';
import type { GroupRepository } from './group-repository';

/** Where ids and times come from; tests pass fixed ones so their results can be compared exactly. */
export interface Sources {
  newId(): string;
  now(): Date;
}

const SYSTEM: Sources = { newId: randomUUID, now: () => new Date() };

const EXAMPLE = '{"name": "Dogs", "description": "Pictures of dogs"}';

/** Checks a parsed request body and returns its trimmed name and description, or throws a ValidationError. */
export function validateNewGroup(body: unknown): NewGroup {
  // BEGIN SOLUTION create-group
  // TODO(create-group): accept only an object with a non-empty name and description, each within its limit.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError(`The body must be a JSON object. Send for example ${EXAMPLE}.`);
  }
  const fields = body as Record<string, unknown>;
  const name = requiredText(fields, 'name', NAME_MAX_LENGTH);
  const description = requiredText(fields, 'description', DESCRIPTION_MAX_LENGTH);
  return { name, description };
  // END SOLUTION
}

function requiredText(fields: Record<string, unknown>, field: string, maxLength: number): string {
  // BEGIN SOLUTION create-group
  const value = fields[field];
  if (typeof value !== 'string') {
    throw new ValidationError(`${field} is required and must be a string. Send for example ${EXAMPLE}.`);
  }
  const text = value.trim();
  if (text === '') {
    throw new ValidationError(`${field} must not be empty. Send for example ${EXAMPLE}.`);
  }
  const length = Array.from(text).length;
  if (length > maxLength) {
    throw new ValidationError(
      `${field} is too long: ${length} characters, at most ${maxLength} allowed. Shorten it and send it again.`,
    );
  }
  return text;
  // END SOLUTION
}

/** Validates the body, completes it with a new id and the current time, stores it and returns the group. */
export async function createGroup(
  groups: GroupRepository,
  body: unknown,
  sources: Sources = SYSTEM,
): Promise<Group> {
  // BEGIN SOLUTION create-group
  // TODO(create-group): validate the body, add id (sources.newId()) and timestamp (ISO 8601), store, return.
  const { name, description } = validateNewGroup(body);
  const group: Group = { id: sources.newId(), name, description, timestamp: sources.now().toISOString() };
  await groups.create(group);
  return group;
  // END SOLUTION
}
