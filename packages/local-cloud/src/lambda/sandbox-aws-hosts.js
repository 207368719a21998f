// In a sandbox, AWS's own hostnames lead to local-cloud. AWS_ENDPOINT_URL sends the AWS SDK v3 and the AWS CLI
// to the AWS endpoint, but code that ignores it does not: the SDK v2 (which never reads it), a v3 client given
// an explicit `endpoint`, a plain fetch() to a URL built from an id (the WebSocket management API's
// `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>`, a public S3 URL). Such a connection to
// `*.amazonaws.com` is made to the AWS endpoint instead: TLS connections to its TLS side, checked against
// local-cloud's certificate authority (NODE_EXTRA_CA_CERTS) as `localhost`; plain ones to its HTTP side. The
// request itself is unchanged, Host header and signature included, and the edge routes it by them.
//
// The same goes for the endpoint's own host with an SDK host prefix: the SDK v3 puts `sync-` in front of the
// host for Step Functions' StartSyncExecution (as AWS's `sync-states.<region>.amazonaws.com` has it), and a
// local address has no such name; `sync-127.0.0.1` is taken for the endpoint itself.
//
// Every TCP connection Node.js makes from JavaScript goes through net.connect / tls.connect (https.Agent, the
// SDK v2's own agent, undici behind fetch), looked up on the module when it connects, so replacing them here,
// before the handler loads, covers all of them. Plain JavaScript: the sandbox runs on bare Node.js.
'use strict';

const Module = require('node:module');
const net = require('node:net');
const tls = require('node:tls');

/** AWS's public hostnames (commercial and China partitions, dual-stack `api.aws`). */
const AWS_HOSTNAME = /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)\.?$/i;
/** What the certificate local-cloud serves is checked against (it names the loopback addresses). */
const LOCAL_SERVER_NAME = 'localhost';

/**
 * Points connections to AWS hostnames at the AWS endpoint whose URL is `endpointUrl`
 * (`http://127.0.0.1:3001`). Does nothing without one.
 */
function redirectAwsHosts(endpointUrl) {
  let endpoint;
  try {
    endpoint = new URL(endpointUrl);
  } catch {
    return;
  }
  const local = { host: endpoint.hostname.replace(/^\[|\]$/g, ''), port: Number(endpoint.port || 80) };
  const isRedirected = (host) => isAwsHost(host) || isPrefixedLocalHost(host, local.host);

  const originalTlsConnect = tls.connect;
  tls.connect = function connect(...args) {
    const options = connectOptions(args);
    if (!options || !isRedirected(options.host ?? options.servername))
      return originalTlsConnect.apply(this, args);
    const callback = args.find((arg) => typeof arg === 'function');
    return originalTlsConnect.call(
      this,
      { ...options, host: local.host, port: local.port, servername: LOCAL_SERVER_NAME },
      callback,
    );
  };

  const originalNetConnect = net.connect;
  const redirectedNetConnect = function connect(...args) {
    const options = connectOptions(args);
    if (!options || !isRedirected(options.host)) return originalNetConnect.apply(this, args);
    const callback = args.find((arg) => typeof arg === 'function');
    return originalNetConnect.call(this, { ...options, host: local.host, port: local.port }, callback);
  };
  net.connect = redirectedNetConnect;
  net.createConnection = redirectedNetConnect;
  configureSdkV2S3(endpoint.origin);
}

/**
 * The SDK v2's S3 client also makes URLs that leave the sandbox: presigned ones, which the function hands to a
 * browser or a script. Those must name the AWS endpoint, not `<bucket>.s3.<region>.amazonaws.com`, which only
 * a sandbox reaches here. So when the SDK v2 loads (node_modules stay outside the bundle), its S3 clients get
 * the AWS endpoint, path-style addressing and SigV4, unless the code gives its own: a client's options win
 * over AWS.config.s3. (SigV4 is what S3 requires of every bucket made since June 2020.)
 */
function configureSdkV2S3(endpointOrigin) {
  const originalLoad = Module._load;
  Module._load = function load(request, ...rest) {
    const loaded = originalLoad.call(this, request, ...rest);
    if (typeof request === 'string' && (request === 'aws-sdk' || request.startsWith('aws-sdk/'))) {
      const AWS = request === 'aws-sdk' ? loaded : originalLoad.call(this, 'aws-sdk/lib/core', ...rest);
      if (AWS && AWS.config && AWS.config.s3 === undefined) {
        AWS.config.s3 = { endpoint: endpointOrigin, s3ForcePathStyle: true, signatureVersion: 'v4' };
      }
    }
    return loaded;
  };
}

function isAwsHost(host) {
  return typeof host === 'string' && AWS_HOSTNAME.test(host);
}

/** `sync-127.0.0.1` for the endpoint host `127.0.0.1`: an SDK host prefix (letters, digits, a hyphen) on it. */
function isPrefixedLocalHost(host, localHost) {
  if (typeof host !== 'string' || !host.toLowerCase().endsWith(`-${localHost.toLowerCase()}`)) return false;
  return /^[a-z0-9]+$/i.test(host.slice(0, host.length - localHost.length - 1));
}

/**
 * The options object of a connect call in any of its forms: (options[, cb]), (port[, host][, options][, cb]).
 * Undefined for a path (a Unix socket), which is never AWS.
 */
function connectOptions(args) {
  const [first, second, third] = args;
  // A `path` makes it a Unix socket (http.Agent passes `path: null` for TCP).
  if (first !== null && typeof first === 'object') return first.path ? undefined : first;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const extra = [second, third].find((arg) => arg !== null && typeof arg === 'object') ?? {};
    return { ...extra, port: Number(first), host: typeof second === 'string' ? second : extra.host };
  }
  return undefined;
}

module.exports = { redirectAwsHosts, AWS_HOSTNAME };
