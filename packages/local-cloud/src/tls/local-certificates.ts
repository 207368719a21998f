// local-cloud's TLS certificate. Handlers call AWS over HTTPS: the WebSocket management API at the callback
// endpoint they build (`https://${domainName}/${stage}`), and AWS hostnames that a sandbox sends to the AWS
// endpoint (the SDK v2, hard-coded URLs). So the emulator must answer HTTPS: a local certificate authority, made
// once and kept under `<service>/.local-cloud/tls/`, signs a server certificate for the loopback names.
// Functions trust the authority through NODE_EXTRA_CA_CERTS (read by Node.js at process start), so handler
// code is unchanged.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type * as Selfsigned from 'selfsigned';

export interface LocalCertificates {
  /** The authority's certificate (PEM file): the value of NODE_EXTRA_CA_CERTS. */
  caCertificateFile: string;
  /** The authority's certificate, PEM, for in-process clients. */
  caCertificate: string;
  /** The server certificate and its key, PEM. */
  certificate: string;
  privateKey: string;
}

/** Where local-cloud keeps its certificate authority and server certificate for a service. */
export function localTlsDir(servicePath: string): string {
  return path.join(servicePath, '.local-cloud', 'tls');
}

/** The certificate generator, loaded only when a certificate must be made (the first start, a renewal). */
const generate: typeof Selfsigned.generate = (...args) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as explained above
  (require('selfsigned') as typeof Selfsigned).generate(...args);

/**
 * Where the authority's certificate is kept under a data directory: known before the API starts, so the
 * Lambda runtime can be given NODE_EXTRA_CA_CERTS before the WebSocket API (which needs the runtime) exists.
 */
export function caCertificateFileIn(directory: string): string {
  return path.join(directory, 'ca.pem');
}

/** Names every local certificate covers; the listening host is added when it is another one. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const DAY_MS = 24 * 60 * 60 * 1000;
/** A server certificate this close to expiring is replaced at start. */
const RENEW_BEFORE_MS = 30 * DAY_MS;

export async function loadOrCreateCertificates(directory: string, host: string): Promise<LocalCertificates> {
  const names = [...new Set([...LOOPBACK_NAMES, host.replace(/^\[|\]$/g, '')])].filter(
    (name) => name !== '' && name !== '0.0.0.0' && name !== '::',
  );
  const files = {
    caCertificate: caCertificateFileIn(directory),
    caKey: path.join(directory, 'ca-key.pem'),
    certificate: path.join(directory, 'server.pem'),
    privateKey: path.join(directory, 'server-key.pem'),
  };
  mkdirSync(directory, { recursive: true });
  const now = Date.now();

  let authority = readPair(files.caCertificate, files.caKey);
  if (!authority || !usable(authority.cert, now, [])) {
    authority = await createAuthority(now);
    writeAtomically(files.caKey, authority.key, 0o600);
    writeAtomically(files.caCertificate, authority.cert, 0o644);
  }
  let server = readPair(files.certificate, files.privateKey);
  if (!server || !usable(server.cert, now, names) || !signedBy(server.cert, authority.cert)) {
    server = await createServerCertificate(authority, names, now);
    writeAtomically(files.privateKey, server.key, 0o600);
    writeAtomically(files.certificate, server.cert, 0o644);
  }
  return {
    caCertificateFile: files.caCertificate,
    caCertificate: authority.cert,
    certificate: server.cert,
    privateKey: server.key,
  };
}

interface Pair {
  cert: string;
  key: string;
}

function readPair(certFile: string, keyFile: string): Pair | undefined {
  try {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch {
    return undefined;
  }
}

function usable(pem: string, now: number, names: string[]): boolean {
  try {
    const certificate = new X509Certificate(pem);
    if (Date.parse(certificate.validTo) - RENEW_BEFORE_MS < now) return false;
    return names.every((name) =>
      isIP(name) ? certificate.checkIP(name) !== undefined : certificate.checkHost(name) !== undefined,
    );
  } catch {
    return false;
  }
}

function signedBy(pem: string, authorityPem: string): boolean {
  try {
    return new X509Certificate(pem).verify(new X509Certificate(authorityPem).publicKey);
  } catch {
    return false;
  }
}

async function createAuthority(now: number): Promise<Pair> {
  // EC P-256: generated in milliseconds, unlike an RSA key in pure JavaScript.
  const generated = await generate([{ name: 'commonName', value: 'local-cloud local CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 10 * 365 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: generated.cert, key: generated.private };
}

async function createServerCertificate(authority: Pair, names: string[], now: number): Promise<Pair> {
  const generated = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 2 * 365 * DAY_MS),
    ca: { key: authority.key, cert: authority.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
      },
    ],
  });
  return { cert: generated.cert, key: generated.private };
}

/** Readers (another local-cloud starting, a sandbox reading NODE_EXTRA_CA_CERTS) never see half a file. */
function writeAtomically(file: string, content: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, file);
}
