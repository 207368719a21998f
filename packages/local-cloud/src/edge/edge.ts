// The edge: one HTTP endpoint for every AWS API local-cloud emulates, as AWS_ENDPOINT_URL or the AWS CLI's
// --endpoint-url want it. Each service attaches its request handler to the edge, for the APIs it serves, as it
// would to a port of its own (mount() gives it a Listener); the edge reads which API a request is for
// (route-request.ts) and hands it over, untouched.
import type http from 'node:http';
import { urlHost, type Listener } from '../http-listener';
import { sendJsonError, sendQueryError, type AwsErrorBody } from '../protocol/aws-errors';
import { AWS_API_NAMES, routeRequest, type EdgeApi, type RoutedRequest } from './route-request';

export interface Edge {
  /** `http://127.0.0.1:3001`: AWS_ENDPOINT_URL. */
  url: string;
  port: number;
  /**
   * The certificate authority of the edge's TLS side (the same port answers HTTPS): sandboxes trust it through
   * NODE_EXTRA_CA_CERTS, so AWS hostnames they call reach the edge over TLS.
   */
  caCertificateFile: string;
  /**
   * A listener for a service that serves `apis`: what it attaches gets their requests; closing it detaches
   * them (the edge itself stays open for the other services).
   */
  mount(apis: readonly EdgeApi[]): Listener;
  /** The APIs attached now, in mount order. */
  apis(): EdgeApi[];
  /**
   * A listener for the API Gateway API whose id is `apiId`: requests to its AWS hostname
   * (`<apiId>.execute-api.<region>.amazonaws.com`, as a sandbox's call to it arrives) go to what is attached.
   */
  mountApiHost(apiId: string): Listener;
}

/** How each API is named in messages. */
const API_NAMES: Readonly<Record<EdgeApi, string>> = AWS_API_NAMES;

/** Why an API the edge knows may not run for a service, and what makes it run. */
const NOT_RUNNING: Partial<Record<EdgeApi, string>> = {
  'execute-api':
    "no API Gateway API with the id in this host name runs in local-cloud. Fix: build the URL from the id the deployment gives (Ref: ApiGatewayRestApi, Ref: HttpApi or Ref: WebsocketsApi), which local-cloud resolves to its own API's id",
  dynamodb:
    'this service declares no DynamoDB tables, so local-cloud runs no DynamoDB for it. Fix: declare the tables under resources.Resources in serverless.yml (Type: AWS::DynamoDB::Table) and start again',
  dynamodbstreams:
    'this service declares no DynamoDB tables, so local-cloud runs no DynamoDB Streams for it. Fix: declare a table with a StreamSpecification under resources.Resources in serverless.yml and start again',
};

/** Serves the edge on `listener` (a port of its own, already listening on `host`). */
export function createEdge(listener: Listener, host: string, caCertificateFile: string): Edge {
  const handlers = new Map<EdgeApi, http.RequestListener>();
  // An API mounted once and gone now is one whose service is stopping; one never mounted is not emulated.
  const everMounted = new Set<EdgeApi>();
  const isEdgeApi = (api: string): api is EdgeApi => Object.hasOwn(API_NAMES, api);

  const apiHosts = new Map<string, http.RequestListener>();

  listener.attach((req, res) => {
    const apiId = executeApiId(req.headers.host);
    const apiHandler = apiId === undefined ? undefined : apiHosts.get(apiId);
    if (apiHandler) {
      apiHandler(req, res);
      return;
    }
    const routed = routeRequest(req.url ?? '/', req.headers);
    const handler = isEdgeApi(routed.api) ? handlers.get(routed.api) : undefined;
    if (handler) {
      handler(req, res);
      return;
    }
    sendError(res, routed, unavailable(routed, [...handlers.keys()], everMounted));
  });

  return {
    url: `http://${urlHost(host)}:${listener.port}`,
    port: listener.port,
    caCertificateFile,
    mount: (apis) => {
      const starting: http.RequestListener = (req, res) => {
        const routed = routeRequest(req.url ?? '/', req.headers);
        sendError(res, routed, {
          code: 'ServiceUnavailable',
          status: 503,
          message: `local-cloud is starting ${Object.hasOwn(API_NAMES, routed.api) ? API_NAMES[routed.api as EdgeApi] : routed.api}; try again in a moment`,
        });
      };
      apis.forEach((api) => {
        handlers.set(api, starting);
        everMounted.add(api);
      });
      let closed = false;
      return {
        server: listener.server,
        port: listener.port,
        attach: (handler) => {
          if (!closed) apis.forEach((api) => handlers.set(api, handler));
        },
        close: () => {
          closed = true;
          apis.forEach((api) => handlers.delete(api));
          return Promise.resolve();
        },
      };
    },
    apis: () => [...handlers.keys()],
    mountApiHost: (apiId) => {
      let closed = false;
      return {
        server: listener.server,
        port: listener.port,
        attach: (handler) => {
          if (!closed) apiHosts.set(apiId, handler);
        },
        close: () => {
          closed = true;
          apiHosts.delete(apiId);
          return Promise.resolve();
        },
      };
    },
  };
}

/** The API id of an API Gateway hostname: `a1b2c3d4e5` of `a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com`. */
function executeApiId(host: string | undefined): string | undefined {
  return /^([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?$/i
    .exec(host ?? '')?.[1]
    ?.toLowerCase();
}

function unavailable(routed: RoutedRequest, running: EdgeApi[], everMounted: Set<EdgeApi>): AwsErrorBody {
  const emulated = (Object.keys(API_NAMES) as EdgeApi[])
    .filter((api) => running.includes(api))
    .map((api) => API_NAMES[api])
    .join(', ');
  const known = Object.hasOwn(API_NAMES, routed.api) ? (routed.api as EdgeApi) : undefined;
  const notRunning = known && NOT_RUNNING[known];
  // 501, not 503: a client retries a 503, and this does not pass with time.
  if (notRunning)
    return {
      code: 'NotImplemented',
      status: 501,
      message: `${notRunning}. This endpoint serves: ${emulated}`,
    };
  if (known && everMounted.has(known)) {
    return {
      code: 'ServiceUnavailable',
      status: 503,
      message: `${API_NAMES[known]} is not running (local-cloud is stopping). This endpoint serves: ${emulated}`,
    };
  }
  const how = {
    target: 'its X-Amz-Target header',
    scope: 'its signature',
    host: 'its host name',
    default: 'default',
  }[routed.by];
  const call = routed.operation ? `, so its call ${routed.operation} cannot be served` : '';
  return {
    code: 'NotImplemented',
    status: 501,
    message: `local-cloud does not emulate the AWS service '${routed.api}' (named by ${how})${call}. This endpoint serves: ${emulated}`,
  };
}

function sendError(res: http.ServerResponse, routed: RoutedRequest, error: AwsErrorBody): void {
  if (routed.json) sendJsonError(res, error);
  else sendQueryError(res, error);
}
