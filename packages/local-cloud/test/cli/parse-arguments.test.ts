import path from 'node:path';
import { InvalidRouteError } from '../../src/api-gateway/routes';
import { CliUsageError, isUserError, parseCliArguments } from '../../src/cli';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { PortInUseError } from '../../src/http-listener';
import { HandlerNotFoundError } from '../../src/lambda/errors';

const cwd = '/work/course';

function usageErrorOf(argv: string[]): CliUsageError {
  try {
    parseCliArguments(argv, cwd);
  } catch (error) {
    if (error instanceof CliUsageError) return error;
    throw error;
  }
  throw new Error('expected a CliUsageError');
}

describe('local-cloud start arguments', () => {
  it('serves the current folder on port 3000, the Lambda endpoint on 3001, with hot reload and data on disk', () => {
    expect(parseCliArguments(['start'], cwd)).toEqual({
      command: 'start',
      servicePath: cwd,
      port: 3000,
      lambdaPort: 3001,
      host: '127.0.0.1',
      watch: true,
      inMemory: false,
      allowDeprecatedRuntimes: false,
      iam: 'enforce',
    });
  });

  it('runs deprecated runtimes only with --allow-deprecated-runtimes', () => {
    expect(parseCliArguments(['start'], cwd)).toMatchObject({ allowDeprecatedRuntimes: false });
    expect(parseCliArguments(['start', '--allow-deprecated-runtimes'], cwd)).toMatchObject({
      allowDeprecatedRuntimes: true,
    });
  });

  it('reads --region, as serverless --region', () => {
    expect(parseCliArguments(['start', '--region', 'eu-central-1'], cwd)).toMatchObject({
      region: 'eu-central-1',
    });
  });

  it('keeps the services’ data in memory with --in-memory', () => {
    expect(parseCliArguments(['start', '--in-memory'], cwd)).toMatchObject({ inMemory: true });
  });

  it('reads the path, port, stage, --no-watch and the retry delays', () => {
    const command = parseCliArguments(
      [
        'start',
        'labs/01-hello-lambda',
        '--port',
        '4000',
        '--stage',
        'test',
        '--no-watch',
        '--retry-delays',
        '10,20',
      ],
      cwd,
    );

    expect(command).toEqual({
      command: 'start',
      servicePath: path.join(cwd, 'labs/01-hello-lambda'),
      port: 4000,
      lambdaPort: 4001,
      host: '127.0.0.1',
      stage: 'test',
      watch: false,
      inMemory: false,
      allowDeprecatedRuntimes: false,
      retryDelaysMs: [10, 20],
      iam: 'enforce',
    });
  });

  it('reads --iam enforce, warn and off, and refuses another mode with the fix', () => {
    expect(parseCliArguments(['start', '--iam', 'warn'], cwd)).toMatchObject({ iam: 'warn' });
    expect(parseCliArguments(['start', '--iam', 'off'], cwd)).toMatchObject({ iam: 'off' });
    expect(() => parseCliArguments(['start', '--iam', 'strict'], cwd)).toThrow(
      '--iam "strict" is not a mode. Fix: pass --iam enforce, --iam warn or --iam off',
    );
  });

  it('takes a Lambda port of its own, and port 0 for free ports', () => {
    expect(parseCliArguments(['start', '--port', '0'], cwd)).toMatchObject({ port: 0, lambdaPort: 0 });
    expect(parseCliArguments(['start', '--port=5000', '--lambda-port=6000'], cwd)).toMatchObject({
      port: 5000,
      lambdaPort: 6000,
    });
  });

  it('asks for help with --help or -h', () => {
    expect(parseCliArguments(['--help'], cwd)).toEqual({ command: 'help' });
    expect(parseCliArguments(['start', '-h'], cwd)).toEqual({ command: 'help' });
  });

  it.each([
    ['no command', [], /^no command given\. Fix: run `local-cloud start \[path\]`$/],
    ['an unknown command', ['serve'], /^unknown command "serve"\. Fix:/],
    [
      'a port that is no number',
      ['start', '--port', 'http'],
      /^--port "http" is not a port\. Fix: .*--port 4000$/,
    ],
    ['a port above 65535', ['start', '--port', '70000'], /--port "70000" is not a port/],
    [
      'an unknown option',
      ['start', '--verbose'],
      /Unknown option '--verbose'.*Fix: run `local-cloud --help`/,
    ],
    ['a second path', ['start', 'a', 'b'], /^unexpected argument "b"\. Fix:/],
    ['one retry delay', ['start', '--retry-delays', '1000'], /^--retry-delays "1000" is not two delays/],
    ['a stage API Gateway refuses', ['start', '--stage', 'my stage'], /not a valid API Gateway stage name/],
    [
      'a region AWS does not name so',
      ['start', '--region', 'Frankfurt'],
      /^--region "Frankfurt" is not an AWS region name\. Fix: pass one such as eu-west-1/,
    ],
    ['the same port twice', ['start', '--port', '4000', '--lambda-port', '4000'], /also the REST API port/],
  ])('refuses %s with one line and the fix', (_case, argv, message) => {
    const error = usageErrorOf(argv);

    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.exitCode).toBe(2);
  });
});

describe('which failures exit with code 2', () => {
  it('counts configuration, handler, route, port and usage errors as the user’s to fix', () => {
    const errors = [
      new ServiceConfigError('/s/serverless.yml', 'broken', 'fix it'),
      new HandlerNotFoundError('hello', 'src/hello.handler', 'src/hello', ['.ts', '.js']),
      new InvalidRouteError('Route /a/{b}/{c}: ...'),
      new PortInUseError(3000, '127.0.0.1', 'REST API', 'choose another port with --port N'),
      new CliUsageError('unknown command'),
    ];

    expect(errors.filter(isUserError)).toHaveLength(errors.length);
  });

  it('leaves anything else to be reported as a local-cloud bug', () => {
    expect(isUserError(new TypeError('undefined is not a function'))).toBe(false);
    expect(isUserError('a string')).toBe(false);
  });
});
