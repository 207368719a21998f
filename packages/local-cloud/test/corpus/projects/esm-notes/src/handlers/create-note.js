import { badRequest, json, parseBody } from '../lib/http.js';
import { addNote } from '../lib/notes.js';
import { settings } from '../lib/settings.js';

export const handler = async (event) => {
  const body = parseBody(event);
  if (typeof body?.text !== 'string' || body.text.trim() === '') {
    return badRequest('Send a JSON body with the note\'s "text".');
  }
  if (body.text.length > settings.maxLength) {
    return badRequest(
      `A note holds at most ${settings.maxLength} characters; this one has ${body.text.length}.`,
    );
  }
  const { notebook } = event.pathParameters;
  const note = await addNote(notebook, body.text.trim());
  const location = `https://${event.requestContext.domainName}/${event.requestContext.stage}/notebooks/${notebook}/notes/${note.noteId}`;
  return json(201, note, { location });
};
