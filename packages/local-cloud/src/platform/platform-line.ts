import { clockTime, plainColors, type Colors } from '../logging';

/** `12:04:05.123 [s3] message`: a service's line among the invocation lines. */
export function formatPlatformLine(source: string, line: string, colors: Colors = plainColors): string {
  return `${colors.dim(clockTime(new Date()))} ${colors.magenta(`[${source}]`)} ${line}`;
}
