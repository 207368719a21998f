import { describeMistakes } from './corpus';

// One CLI run each, TypeScript and Jest included: seconds apiece, minutes on a busy machine.
jest.setTimeout(240_000);

describeMistakes(
  '01-hello-lambda',
  [
    {
      name: 'a syntax error in the handler',
      task: 'hello-handler',
      file: 'src/handlers/hello.ts',
      replace: "  if (name === '') {",
      with: "  if (name === '' {",
      says: [
        /^Does not compile; fix th/m,
        "labs/01-hello-lambda/src/handlers/hello.ts:13:19  ')' expected. (TS1005)  (task hello-handler)",
      ],
      withinCpuSeconds: 8,
    },
    {
      name: 'a type error: a possibly undefined name used as a string',
      task: 'hello-handler',
      file: 'src/handlers/hello.ts',
      replace: "  const name = (event.queryStringParameters?.name ?? '').normalize('NFC').trim();",
      with: "  const given: string = event.queryStringParameters?.name;\n  const name = given.normalize('NFC').trim();",
      says: [
        "labs/01-hello-lambda/src/handlers/hello.ts:12:9  Type 'string | undefined' is not assignable to type 'string'.",
        'does not compile: labs/01-hello-lambda/src/handlers/hello.ts:12:9',
      ],
      withinCpuSeconds: 15,
    },
    {
      name: 'a wrong status code',
      task: 'hello-handler',
      file: 'src/handlers/hello.ts',
      replace: '    return jsonResponse(400, {\n      message: `name is too long',
      with: '    return jsonResponse(422, {\n      message: `name is too long',
      says: [
        'Expected: 400',
        'Received: 422',
        /at labs\/01-hello-lambda\/test\/unit\/hello\.test\.ts:\d+:\d+/,
      ],
      withinCpuSeconds: 15,
    },
    {
      name: 'a missing field in the response body',
      task: 'hello-handler',
      file: 'src/handlers/hello.ts',
      replace: 'return jsonResponse(200, { message: `Hello, ${name}!` });',
      with: 'return jsonResponse(200, { greeting: `Hello, ${name}!` });',
      says: [/^\s+- {3}"message": "Hello, Ada!",?$/m, /^\s+\+ {3}"greeting": "Hello, Ada!",?$/m],
      withinCpuSeconds: 15,
    },
    {
      name: 'an infinite loop',
      task: 'remaining-time',
      file: 'src/handlers/process-batch.ts',
      replace: '    await work(item);',
      with: '    while (Date.now() > 0) {\n      // Never ends.\n    }\n    await work(item);',
      says: [
        'test/unit/process-batch.test.ts did not finish in 5 s: an infinite loop or an unresolved promise?',
        'Edit: labs/01-hello-lambda/src/handlers/process-batch.ts',
      ],
      withinCpuSeconds: 5 + 15,
    },
  ],
  { timeBudgetSeconds: 5 },
);
