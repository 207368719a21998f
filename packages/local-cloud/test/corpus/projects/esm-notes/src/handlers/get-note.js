import { json } from '../lib/http.js';
import { findNote } from '../lib/notes.js';

export const handler = async (event) => {
  const { notebook, noteId } = event.pathParameters;
  const note = await findNote(notebook, noteId);
  return note ? json(200, note) : json(404, { message: `No note ${noteId} in notebook ${notebook}.` });
};
