import { parse, type ParseError } from 'jsonc-parser';

/**
 * JSON.parse, but a failure says where: V8's messages only sometimes carry a position, so the offset comes
 * from jsonc-parser (in strict mode: no comments, no trailing commas) and is shown as line and column, which
 * is what an editor lets you jump to.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = cleanReason((error as Error).message);
    const offset = errorOffset(text, (error as Error).message);
    const { line, column } = lineAndColumn(text, offset);
    return { ok: false, problem: `${reason} at line ${line}, column ${column}` };
  }
}

/** V8 appends "in JSON at position N" or quotes the whole source; both are noise next to line and column. */
function cleanReason(message: string): string {
  return message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ at position \d+.*$/s, '');
}

function errorOffset(text: string, message: string): number {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors[0]) return errors[0].offset;
  const position = /at position (\d+)/.exec(message);
  return position ? Number(position[1]) : text.length;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
