// The ports of local-cloud's data services, next to the REST API's: `--port 3000` gives the Lambda Invoke
// API 3001 (the CLI's own rule), then the services in a fixed order, so each keeps its port from one start
// to the next and endpoints.json, a browser app's config or a curl command written once keeps working.
export interface PlatformPorts {
  websocket: number;
  s3: number;
  sns: number;
  /** Secrets Manager and SSM share one port. */
  secrets: number;
  identity: number;
  dynamodb: number;
}

/** Offsets from the REST API's port; +1 is the Lambda Invoke API. */
export const PLATFORM_PORT_OFFSETS: Readonly<PlatformPorts> = {
  websocket: 2,
  s3: 3,
  sns: 4,
  secrets: 5,
  identity: 6,
  dynamodb: 7,
};

/** A REST API port too close to 65535 to leave room for the services after it. */
export class PlatformPortRangeError extends Error {
  override readonly name = 'PlatformPortRangeError';
  readonly exitCode = 2;
}

/**
 * The services' ports for a REST API on `restPort`: N+2 (WebSocket API) to N+7 (DynamoDB). Port 0 (a free
 * port for everything, as tests want) gives 0 for every service.
 */
export function platformPorts(restPort: number): PlatformPorts {
  const offsets = Object.entries(PLATFORM_PORT_OFFSETS) as [keyof PlatformPorts, number][];
  if (restPort === 0) {
    return Object.fromEntries(offsets.map(([name]) => [name, 0])) as unknown as PlatformPorts;
  }
  const highest = restPort + Math.max(...offsets.map(([, offset]) => offset));
  if (highest > 65_535) {
    throw new PlatformPortRangeError(
      `--port ${restPort} leaves no room for the services, which take the ports up to ${restPort}+7 (${highest}). Fix: choose a port of ${65_535 - 7} or lower, e.g. --port 3000`,
    );
  }
  return Object.fromEntries(
    offsets.map(([name, offset]) => [name, restPort + offset]),
  ) as unknown as PlatformPorts;
}
