// Request headers as the proxy event carries them: names as the client spelled them, `headers` with the last
// value of a repeated header, `multiValueHeaders` with all of them, minus the hop-by-hop headers API Gateway
// never forwards.

/** Dropped before any integration sees the request (API Gateway's REST API notes; LocalStack's parity tests). */
const DROPPED = new Set([
  'connection',
  'content-length',
  'content-md5',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'te',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'www-authenticate',
]);

export interface RequestHeaders {
  single: Record<string, string>;
  multi: Record<string, string[]>;
  /** Lower-case name → the name as first spelled, to merge `X-A` and `x-a` as API Gateway does. */
  names: Map<string, string>;
}

/** From Node's rawHeaders (name, value, name, value...), which keep the client's spelling and order. */
export function parseRequestHeaders(rawHeaders: readonly string[]): RequestHeaders {
  // Null-prototype maps: a header named `__proto__` is data, not a prototype.
  const single = Object.create(null) as Record<string, string>;
  const multi = Object.create(null) as Record<string, string[]>;
  const names = new Map<string, string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const spelled = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = spelled.toLowerCase();
    if (DROPPED.has(lower)) continue;
    const name = names.get(lower);
    if (name === undefined) {
      names.set(lower, spelled);
      single[spelled] = value;
      multi[spelled] = [value];
    } else {
      single[name] = value;
      (multi[name] as string[]).push(value);
    }
  }
  return { single, multi, names };
}

/** Sets a header API Gateway adds, or appends to the client's (X-Forwarded-For: `<client's>, <ip>`). */
export function addHeader(
  headers: RequestHeaders,
  name: string,
  value: string,
  mode: 'append' | 'keep',
): void {
  const lower = name.toLowerCase();
  const existing = headers.names.get(lower);
  if (existing === undefined) {
    headers.names.set(lower, name);
    headers.single[name] = value;
    headers.multi[name] = [value];
    return;
  }
  if (mode === 'keep') return;
  const appended = `${headers.single[existing]}, ${value}`;
  headers.single[existing] = appended;
  const values = headers.multi[existing] as string[];
  values[values.length - 1] = appended;
}

/** Bytes of all header values together, what API Gateway's 10,240-byte quota counts. */
export function headerValueBytes(rawHeaders: readonly string[]): number {
  let total = 0;
  // Node decodes header bytes as latin1: one character per byte.
  for (let i = 1; i < rawHeaders.length; i += 2) total += (rawHeaders[i] as string).length;
  return total;
}

/** The client's address as API Gateway reports it (`sourceIp`, X-Forwarded-For): IPv4 without its `::ffff:`. */
export function sourceIpOf(req: { socket: { remoteAddress?: string } }): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
