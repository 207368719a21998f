// In a sandbox, connections meant for AWS reach the AWS endpoint: AWS's hostnames, and the endpoint's own host
// with an SDK host prefix (`sync-127.0.0.1`, which StartSyncExecution's client asks for). Run in a child Node.js
// process, as the sandbox runs it, because the redirection replaces net.connect for the whole process.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const HOSTS_MODULE = path.join(__dirname, '..', '..', 'src', 'lambda', 'sandbox-aws-hosts.js');

describe('connections from a sandbox', () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => res.end(`reached ${req.headers.host ?? ''}${req.url ?? ''}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /**
   * What GET http://<host>:<port><path> answers in a process whose AWS endpoint is this test's server. Given as
   * options, not a URL, as the SDK gives them: a URL parser refuses `sync-127.0.0.1` (its last label is a number).
   */
  const fetchFromSandbox = async (host: string, urlPath = '/'): Promise<string> => {
    const options = { host, port, path: urlPath };
    const script = `
      require(${JSON.stringify(HOSTS_MODULE)}).redirectAwsHosts('http://127.0.0.1:${port}');
      require('node:http').get(${JSON.stringify(options)}, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => process.stdout.write(body));
      }).on('error', (error) => process.stdout.write('failed: ' + error.code));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 10_000 });
    return stdout;
  };

  it('reach the endpoint for an SDK host prefix on its host, with the Host header unchanged', async () => {
    expect(await fetchFromSandbox('sync-127.0.0.1')).toBe(`reached sync-127.0.0.1:${port}/`);
  });

  it('reach the endpoint for an AWS hostname', async () => {
    expect(await fetchFromSandbox('sqs.eu-west-1.amazonaws.com', '/queue')).toBe(
      `reached sqs.eu-west-1.amazonaws.com:${port}/queue`,
    );
  });

  it('leave other hosts alone', async () => {
    expect(await fetchFromSandbox('sync-127.0.0.2.invalid')).toMatch(/^failed: /);
  });
});
