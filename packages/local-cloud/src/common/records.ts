// The one check every reader of parsed JSON or YAML needs before it looks inside a value.

/** A plain object (not null, not an array): what a configuration map or a parsed JSON body must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
