// The `*` wildcard AWS uses in EventBridge patterns (`wildcard`) and Step Functions' StringMatches: `*` matches any
// run of characters (newlines too), `\*` is a literal star and `\\` a literal backslash; everything else is
// itself. Compiled once per pattern: rules match many events.
const compiled = new Map<string, RegExp>();

export function wildcardRegExp(pattern: string): RegExp {
  let cached = compiled.get(pattern);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i]!;
    if (char === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[i + 1]}`;
      i += 1;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  cached = new RegExp(`^${source}$`, 's');
  compiled.set(pattern, cached);
  return cached;
}
