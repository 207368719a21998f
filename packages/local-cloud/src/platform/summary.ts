// What the CLI prints about the data services after the routes table: what the service declared in each AWS
// API (all of them answer at the one AWS endpoint printed above), where the WebSocket API and the identity
// issuer listen, and the command to try the rest.
import path from 'node:path';
import { plainColors, type Colors } from '../logging';
import type { Platform } from './platform';

export function formatPlatformSummary(platform: Platform, colors: Colors = plainColors): string[] {
  const { services, resources } = platform;
  // The commands must work pasted into the terminal local-cloud was started from, which may be another folder.
  const folder = path.relative(process.cwd(), platform.service.servicePath);
  const namesOf = (type: string) =>
    Object.values(resources)
      .filter((resource) => resource.type === type)
      .map((resource) =>
        type === 'AWS::SNS::Topic' ? (resource.attributes.TopicName ?? resource.ref) : resource.ref,
      );
  const list = (names: string[], none: string) => (names.length > 0 ? names.join(', ') : none);
  const rows: [string, string, string][] = [];
  if (services.webSocket) {
    rows.push(['WebSocket API', services.webSocket.url, `callback ${services.webSocket.callbackUrl}`]);
  }
  rows.push([
    'Identity',
    services.identity.url,
    `JWKS ${services.identity.jwksUri}; a token: npx local-cloud token${folder ? ` --service ${folder}` : ''} --sub alice`,
  ]);
  const onEdge = 'AWS endpoint';
  rows.push([
    'S3',
    onEdge,
    `buckets ${list(
      services.s3.buckets.map((b) => b.name),
      'none',
    )}`,
  ]);
  rows.push(['SNS', onEdge, `topics ${list(namesOf('AWS::SNS::Topic'), 'none')}`]);
  rows.push([
    'Secrets, SSM',
    onEdge,
    `values in ${path.relative(process.cwd(), services.secrets.secretsFile) || services.secrets.secretsFile}`,
  ]);
  if (services.dynamoDb) {
    const tables = services.dynamoDb.tables.map(
      (table) => `${table.tableName}${resources[table.logicalId]?.attributes.StreamArn ? ' (stream)' : ''}`,
    );
    rows.push(['DynamoDB', onEdge, `tables ${list(tables, 'none')}`]);
  }
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map(
    ([name, url, detail]) => `${name.padEnd(widths[0]!)}  ${url.padEnd(widths[1]!)}  ${colors.dim(detail)}`,
  );
  for (const rule of platform.schedules) {
    lines.push(
      `${'Schedule'.padEnd(widths[0]!)}  ${`${rule.functionKey} ${rule.expression.text}`.padEnd(widths[1]!)}  ${colors.dim(
        `${rule.enabled ? '' : 'disabled; '}fire it now: npx local-cloud fire ${rule.functionKey}${folder ? ` ${folder}` : ''}`,
      )}`,
    );
  }
  return [...lines, ''];
}
