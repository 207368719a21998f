// The ports next to the REST API's: `--port 3000` gives the AWS endpoint (the edge: the Lambda Invoke API and
// every other AWS API) 3001 (the CLI's own rule), then the WebSocket API and the identity issuer in a fixed
// order, so each keeps its port from one start to the next and endpoints.json, a browser app's config or a
// curl command written once keeps working.
export interface PlatformPorts {
  websocket: number;
  identity: number;
}

/** Offsets from the REST API's port; +1 is the AWS endpoint. */
export const PLATFORM_PORT_OFFSETS: Readonly<PlatformPorts> = {
  websocket: 2,
  identity: 3,
};

/** A REST API port too close to 65535 to leave room for the services after it. */
export class PlatformPortRangeError extends Error {
  override readonly name = 'PlatformPortRangeError';
  readonly exitCode = 2;
}

const HIGHEST_OFFSET = Math.max(...Object.values(PLATFORM_PORT_OFFSETS));

/**
 * The ports for a REST API on `restPort`: N+2 (WebSocket API), N+3 (identity issuer). Port 0 (a free port for
 * everything, as tests want) gives 0 for every one.
 */
export function platformPorts(restPort: number): PlatformPorts {
  const offsets = Object.entries(PLATFORM_PORT_OFFSETS) as [keyof PlatformPorts, number][];
  if (restPort === 0) {
    return Object.fromEntries(offsets.map(([name]) => [name, 0])) as unknown as PlatformPorts;
  }
  const highest = restPort + HIGHEST_OFFSET;
  if (highest > 65_535) {
    throw new PlatformPortRangeError(
      `--port ${restPort} leaves no room for the services, which take the ports up to ${restPort}+${HIGHEST_OFFSET} (${highest}). Fix: choose a port of ${65_535 - HIGHEST_OFFSET} or lower, e.g. --port 3000`,
    );
  }
  return Object.fromEntries(
    offsets.map(([name, offset]) => [name, restPort + offset]),
  ) as unknown as PlatformPorts;
}
