// An ES module service ("type": "module", .js handlers, settings loaded with a top-level await from SSM) on a
// REST API and DynamoDB, started unchanged: notes written through the API are in the table, read back and
// paged with the settings the top-level await loaded; a bad request is refused by the handler.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { answer, request, useProject } from './support';

const STAGE = 'corpus-esm';
const TABLE = `esm-notes-${STAGE}-notes`;

interface Note {
  notebook: string;
  noteId: string;
  text: string;
  createdAt: string;
}

const project = useProject('esm-notes', { stage: STAGE });
const notebook = (name: string) => `${project().cloud.apiUrl}/notebooks/${name}/notes`;

describe('an ES module service', () => {
  it('starts with no warning', () => {
    expect(project().warnings()).toEqual([]);
  });

  it('stores a note in DynamoDB and reads it back at the URL it gives', async () => {
    const created = await request<Note>(notebook('groceries'), { body: { text: '  oat milk ' } });

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      notebook: 'groceries',
      noteId: expect.any(String) as unknown,
      text: 'oat milk',
      createdAt: expect.any(String) as unknown,
    });
    const location = created.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:\\d+/${STAGE}/notebooks/groceries/notes/`));
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(project().aws));
    const { Item } = await documents.send(
      new GetCommand({ TableName: TABLE, Key: { notebook: 'groceries', noteId: created.body.noteId } }),
    );
    expect(Item).toEqual(created.body);
    // The same path on the local API (the Location names the API's host as API Gateway sees it).
    const read = await request<Note>(`${notebook('groceries')}/${created.body.noteId}`);
    expect(read).toMatchObject({ status: 200, body: created.body });
  });

  it('pages a notebook with the page size the top-level await read from SSM', async () => {
    for (const text of ['first', 'second', 'third']) {
      expect((await request(notebook('todo'), { body: { text } })).status).toBe(201);
    }

    const first = await request<{ notes: Note[]; next?: string }>(notebook('todo'));
    const second = await request<{ notes: Note[]; next?: string }>(
      `${project().cloud.apiUrl}/notebooks/todo/notes?after=${first.body.next}`,
    );

    expect(first.body.notes.map((note) => note.text)).toEqual(['first', 'second']);
    expect(second.body.notes.map((note) => note.text)).toEqual(['third']);
  });

  it('refuses a note longer than the configured limit, and a body that is not JSON', async () => {
    const tooLong = await request(notebook('groceries'), { body: { text: 'x'.repeat(141) } });
    const notJson = await request(notebook('groceries'), { body: 'text=milk' });

    expect(tooLong).toMatchObject(answer(400, 'A note holds at most 140 characters; this one has 141.'));
    expect(notJson).toMatchObject(answer(400, 'Send a JSON body with the note\'s "text".'));
  });

  it('answers 404 for a note that is not there', async () => {
    const missing = await request(`${notebook('groceries')}/nope`);

    expect(missing).toMatchObject(answer(404, 'No note nope in notebook groceries.'));
  });
});
