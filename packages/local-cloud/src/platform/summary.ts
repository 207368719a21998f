// What the CLI prints about the data services after the routes table: each running service's row (what the
// service declared in each AWS API, all of which answer at the one AWS endpoint printed above; where the
// WebSocket API and the identity issuer listen), the schedules, and the command to try each.
import path from 'node:path';
import { plainColors, type Colors } from '../logging';
import type { Platform } from './platform';

export function formatPlatformSummary(platform: Platform, colors: Colors = plainColors): string[] {
  // The commands must work pasted into the terminal local-cloud was started from, which may be another folder.
  const folder = path.relative(process.cwd(), platform.service.servicePath);
  const rows = platform.summaryRows(folder);
  // Schedules line up under the services' columns.
  const widths = [
    Math.max(...rows.map((row) => row.name.length)),
    Math.max(...rows.map((row) => row.where.length)),
  ];
  const line = (name: string, where: string, detail: string) =>
    `${name.padEnd(widths[0]!)}  ${where.padEnd(widths[1]!)}  ${colors.dim(detail)}`;
  const lines = rows.map((row) => line(row.name, row.where, row.detail));
  for (const rule of platform.schedules) {
    lines.push(
      line(
        'Schedule',
        `${rule.functionKey} ${rule.expression.text}`,
        `${rule.enabled ? '' : 'disabled; '}fire it now: npx local-cloud fire ${rule.functionKey}${folder ? ` ${folder}` : ''}`,
      ),
    );
  }
  return [...lines, ''];
}
