// The two ends every Express app of local-cloud puts around its routes: the malformed-URL guard in front, the
// final error handler behind. Express's own handler would answer an error with its stack as HTML.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { finalErrorHandler, refuseMalformedUrl, type ErrorAnswer } from '../../src/http/express-errors';
import {
  diskError,
  expectInternalErrorMessage,
  expectNothingInternal,
  loggedWithStack,
} from '../support/leaks';
import { sendRaw } from '../support/raw-http';

const logged: string[] = [];
let server: Server;
let origin: string;

/** The answer as JSON, so a test sees what the service would have put in its own format. */
const send = (res: express.Response, answer: ErrorAnswer) => {
  res.status(answer.status).json(answer);
};

beforeAll(async () => {
  const app = express();
  app.use(refuseMalformedUrl(send));
  app.post('/echo/:name', express.json(), (req, res) => {
    res.json({ name: req.params.name, body: req.body as unknown });
  });
  app.get('/fails', () => {
    throw diskError();
  });
  app.get('/fails-midway', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('half an answer');
    throw diskError();
  });
  app.use(finalErrorHandler({ server: 'test API', log: (line) => logged.push(line), send }));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const answerOf = (body: string) => JSON.parse(body) as ErrorAnswer;

describe('the malformed-URL guard', () => {
  it.each(['/echo/%E0%A4%A', '/echo/%', '/%ZZ'])(
    'refuses %s with a 400 before the router decodes its parameters',
    async (path) => {
      const answer = await sendRaw(origin, { method: 'POST', path, body: '{}' });

      expect(answer.status).toBe(400);
      expect(answerOf(answer.body)).toMatchObject({ kind: 'client', status: 400 });
      expect(answerOf(answer.body).message).toMatch(/malformed percent-escape/);
    },
  );

  it('lets a well-formed URL through, escapes decoded', async () => {
    const answer = await sendRaw(origin, {
      method: 'POST',
      path: '/echo/caf%C3%A9',
      headers: { 'content-type': 'application/json' },
      body: '{"n": 1}',
    });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ name: 'café', body: { n: 1 } });
  });
});

describe('the final error handler', () => {
  it('answers a body a parser refuses with the parser’s 4xx and a message without its detail', async () => {
    const answer = await sendRaw(origin, {
      method: 'POST',
      path: '/echo/x',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });

    expect(answer.status).toBe(400);
    expect(answerOf(answer.body)).toMatchObject({ kind: 'client', status: 400 });
    expect(answerOf(answer.body).message).toMatch(/^The request could not be read \(400 Bad Request\)/);
    expectNothingInternal(answer.body);
  });

  it('answers a failure of the app with 500 and a message that says where the reason is', async () => {
    const answer = await sendRaw(origin, { path: '/fails' });

    expect(answer.status).toBe(500);
    expect(answerOf(answer.body).kind).toBe('internal');
    expectInternalErrorMessage(answerOf(answer.body).message);
    expectNothingInternal(answer.body);
    expect(loggedWithStack(logged)).toBe(true);
  });

  it('cuts the connection when the failure comes after part of the answer, rather than append to it', async () => {
    const outcome = await sendRaw(origin, { path: '/fails-midway' }).then(
      (answer) => `answered: ${answer.body}`,
      (error: NodeJS.ErrnoException) => `cut: ${error.code ?? error.message}`,
    );

    expect(outcome).toMatch(/^cut: /);
  });
});
