// The form checks what the API will check, so the user learns about a mistake at once, without a round trip.
// The API still validates everything: a page's checks protect nothing, anyone can call the API directly.
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, type NewGroup } from '../../../src/groups/group';

export type GroupFormErrors = Partial<Record<keyof NewGroup, string>>;

/** Returns a message for each field that is wrong; an empty object when the group can be sent. */
export function validateGroupForm(values: NewGroup): GroupFormErrors {
  // BEGIN SOLUTION create-group-form
  // TODO(create-group-form): both fields are required (after trimming) and limited to the API's lengths.
  const errors: GroupFormErrors = {};
  const name = values.name.trim();
  const description = values.description.trim();
  if (name === '') errors.name = 'Give the group a name.';
  else if (Array.from(name).length > NAME_MAX_LENGTH)
    errors.name = `The name is too long: at most ${NAME_MAX_LENGTH} characters.`;
  if (description === '') errors.description = 'Describe what the group is for.';
  else if (Array.from(description).length > DESCRIPTION_MAX_LENGTH)
    errors.description = `The description is too long: at most ${DESCRIPTION_MAX_LENGTH} characters.`;
  return errors;
  // END SOLUTION
}
