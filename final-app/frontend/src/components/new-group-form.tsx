// Creating a group: name (1 to 100 characters) and description (up to 1,000), checked here as the API checks
// them, so mistakes are shown next to the field before a request is sent.
import { useState, type FormEvent } from 'react';
import type { Group } from '../api/types';
import { useServices } from '../services';

export function NewGroupForm({ onCreated }: { onCreated: (group: Group) => void }) {
  const { api } = useServices();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 100) {
      setNameError('Give the group a name of 1 to 100 characters.');
      return;
    }
    setNameError(undefined);
    setSaving(true);
    try {
      const group = await api.createGroup({ name: trimmed, description: description.trim() });
      setName('');
      setDescription('');
      onCreated(group);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="card"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="new-group-heading"
      noValidate
    >
      <h2 id="new-group-heading">New group</h2>
      <label htmlFor="group-name">Name</label>
      <input
        id="group-name"
        value={name}
        maxLength={100}
        required
        aria-invalid={nameError ? true : undefined}
        aria-describedby={nameError ? 'group-name-error' : undefined}
        onChange={(event) => setName(event.target.value)}
      />
      {nameError && (
        <p id="group-name-error" className="field-error">
          {nameError}
        </p>
      )}
      <label htmlFor="group-description">Description (optional)</label>
      <textarea
        id="group-description"
        value={description}
        maxLength={1000}
        rows={3}
        onChange={(event) => setDescription(event.target.value)}
      />
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <button type="submit" disabled={saving}>
        {saving ? 'Creating…' : 'Create group'}
      </button>
    </form>
  );
}
