import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH } from '../../../src/groups/group';
import { useApiUrl } from '../api/api-url';
import { messageOf, postGroup } from '../api/groups-api';
import { validateGroupForm, type GroupFormErrors } from '../groups/validate-group-form';

/** The form that creates a group, then opens its page. */
export function CreateGroupPage(): React.JSX.Element {
  // BEGIN SOLUTION create-group-form
  // TODO(create-group-form): validate on submit, POST the group, go to its page; show field errors and the API's message.
  const apiUrl = useApiUrl();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<GroupFormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const values = { name: name.trim(), description: description.trim() };
    const found = validateGroupForm(values);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    try {
      const group = await postGroup(apiUrl, values);
      await navigate(`/groups/${group.id}`, { state: { group } });
    } catch (error) {
      setFailure(messageOf(error));
      setSending(false);
    }
  }

  return (
    <section aria-labelledby="create-heading">
      <h1 id="create-heading">New group</h1>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <label htmlFor="group-name">Name</label>
        <input
          id="group-name"
          value={name}
          maxLength={NAME_MAX_LENGTH}
          aria-invalid={errors.name !== undefined}
          aria-describedby={errors.name === undefined ? undefined : 'group-name-error'}
          onChange={(event) => setName(event.target.value)}
        />
        {errors.name !== undefined && <p id="group-name-error">{errors.name}</p>}
        <label htmlFor="group-description">Description</label>
        <textarea
          id="group-description"
          value={description}
          maxLength={DESCRIPTION_MAX_LENGTH}
          aria-invalid={errors.description !== undefined}
          aria-describedby={errors.description === undefined ? undefined : 'group-description-error'}
          onChange={(event) => setDescription(event.target.value)}
        />
        {errors.description !== undefined && <p id="group-description-error">{errors.description}</p>}
        {failure !== null && <p role="alert">{failure}</p>}
        <button type="submit" disabled={sending}>
          {sending ? 'Creating…' : 'Create group'}
        </button>
      </form>
    </section>
  );
  // END SOLUTION
}
