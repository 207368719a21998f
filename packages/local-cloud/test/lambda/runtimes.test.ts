import { start } from '../../src';
import {
  checkRuntimes,
  deprecatedRuntimeMessage,
  DeprecatedRuntimeError,
  nodeMajorOf,
} from '../../src/lambda/runtimes';
import { RUNTIME_SERVICE, serviceDefinition } from './support/lambda-fixtures';

// Which runtimes a service may declare: the ones Lambda still lets you deploy, as a deploy would refuse the
// others, with the message Lambda's CreateFunction gives.
const onRuntimes = (runtimes: Record<string, string>) =>
  serviceDefinition(
    RUNTIME_SERVICE,
    Object.fromEntries(
      Object.entries(runtimes).map(([key, runtime]) => [key, { handler: 'src/async-echo.handler', runtime }]),
    ),
  );

describe('the runtimes a service declares', () => {
  it('accepts nodejs22.x and nodejs24.x, and says nothing when this machine runs the same Node.js', () => {
    expect(checkRuntimes(onRuntimes({ a: 'nodejs24.x' }), { hostVersion: '24.11.0' }).warnings).toEqual([]);
    expect(deprecatedRuntimeMessage('nodejs22.x')).toBeUndefined();
  });

  it.each(['nodejs20.x', 'nodejs18.x', 'nodejs8.10', 'nodejs'])(
    'refuses %s with the message Lambda gives on deploy, the functions on it, and the fix',
    (runtime) => {
      const check = () =>
        checkRuntimes(onRuntimes({ hello: runtime, other: runtime }), { hostVersion: '24.0.0' });

      expect(check).toThrow(DeprecatedRuntimeError);
      expect(check).toThrow(
        `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda ` +
          'functions. We recommend you use the new runtime (nodejs24.x) while creating or updating functions. ' +
          '(functions: hello, other). Fix: set `runtime: nodejs24.x` under provider: in serverless.yml',
      );
      expect(check).toThrow('or start with --allow-deprecated-runtimes to run it here anyway');
    },
  );

  it('runs a deprecated runtime when allowed, with a warning that it will not deploy', () => {
    const { warnings } = checkRuntimes(onRuntimes({ hello: 'nodejs20.x' }), {
      allowDeprecated: true,
      hostVersion: '20.19.0',
    });

    expect(warnings).toEqual([
      expect.stringMatching(
        /^The runtime parameter of nodejs20\.x is no longer supported .* \(functions: hello\)\. Running it anyway \(--allow-deprecated-runtimes\); it will not deploy\.$/,
      ),
    ]);
  });

  it("notes once, for every runtime at a time, when this machine's Node.js is not the runtime's", () => {
    const { warnings } = checkRuntimes(onRuntimes({ a: 'nodejs24.x', b: 'nodejs24.x', c: 'nodejs22.x' }), {
      hostVersion: '20.19.2',
    });

    expect(warnings).toEqual([
      "functions run here on this machine's Node.js 20.19.2, while nodejs24.x and nodejs22.x runs Node.js 24 and 22 on AWS: install that Node.js to test on the same version",
    ]);
  });

  it('reads the Node.js major version of a runtime name', () => {
    expect(nodeMajorOf('nodejs24.x')).toBe(24);
    expect(nodeMajorOf('nodejs8.10')).toBe(8);
    expect(nodeMajorOf('python3.13')).toBeUndefined();
  });

  it('makes start() refuse the service', async () => {
    const log: string[] = [];
    await expect(
      start({ service: onRuntimes({ hello: 'nodejs20.x' }), log: (line) => log.push(line) }),
    ).rejects.toThrow(DeprecatedRuntimeError);
  });
});
