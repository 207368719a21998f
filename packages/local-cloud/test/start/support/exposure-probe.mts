// Run inside the test's network namespace: for each port of the host address given, says whether a TCP
// connection is refused, and, where one is accepted, what a stranger's DynamoDB calls get there (the only
// service with a reason to listen beyond loopback is DynamoDB Local, which has no bind option).
// Usage: node exposure-probe.mts <host> <table> <port>...   Prints one JSON array. Node.js runs it as it is
// (its types are only erased), so it imports nothing but Node.js itself.
import net from 'node:net';

const [host = '', table = '', ...ports] = process.argv.slice(2);
const STRANGER =
  'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

function connects(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : String(error.code)),
    );
  });
}

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

async function dynamoDb(port: number, operation: string, body: object): Promise<Answer> {
  try {
    return await send(port, operation, body);
  } catch (error) {
    return { error: String(error) };
  }
}

async function send(port: number, operation: string, body: object): Promise<Answer> {
  const response = await fetch(`http://${host}:${port}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      authorization: STRANGER,
      'x-amz-date': '20261207T000000Z',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(3000),
  });
  return { status: response.status, body: await response.text() };
}

const results: ({ port: number; connection: string } & Record<string, unknown>)[] = [];
for (const port of ports.map(Number)) {
  const connection = await connects(port);
  const result: { port: number; connection: string } & Record<string, unknown> = { port, connection };
  if (connection === 'open') {
    result.listTables = await dynamoDb(port, 'ListTables', {});
    result.putItem = await dynamoDb(port, 'PutItem', { TableName: table, Item: { id: { S: 'planted' } } });
    result.getItem = await dynamoDb(port, 'GetItem', { TableName: table, Key: { id: { S: 'owned' } } });
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
