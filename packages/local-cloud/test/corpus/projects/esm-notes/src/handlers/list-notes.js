import { json } from '../lib/http.js';
import { listNotes } from '../lib/notes.js';
import { settings } from '../lib/settings.js';

export const handler = async (event) => {
  const cursor = event.queryStringParameters?.after;
  const page = await listNotes(event.pathParameters.notebook, settings.pageSize, cursor);
  return json(200, page);
};
