import { describeMistakes } from './corpus';

// One CLI run each, TypeScript and Jest included: seconds apiece, minutes on a busy machine.
jest.setTimeout(240_000);

describeMistakes('05-authentication', [
  {
    name: 'a wrong status code for a body that is not JSON',
    task: 'middleware',
    file: 'src/http/middleware.ts',
    replace: '          statusCode: 400,',
    with: '          statusCode: 415,',
    says: [
      'answers 400 with a JSON message when the body is not valid JSON',
      'Expected: 400',
      'Received: 415',
    ],
    withinCpuSeconds: 15,
  },
]);
