// Keys and tokens for the security tests: an RS256 key pair made in the test, its JWKS served from a
// 127.0.0.1 HTTP server (so the real jwks-rsa client fetches it), and helpers that forge every kind of bad
// token an attacker might send.
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

export interface KeyPair {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function makeKeyPair(kid: string): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export function jwksOf(...pairs: KeyPair[]): { keys: object[] } {
  return {
    keys: pairs.map((pair) => ({
      ...pair.publicKey.export({ format: 'jwk' }),
      kid: pair.kid,
      alg: 'RS256',
      use: 'sig',
    })),
  };
}

/** A JWKS endpoint on 127.0.0.1 that counts the requests it gets. */
export interface JwksServer {
  uri: string;
  requests: number;
  close(): Promise<void>;
}

export async function serveJwks(jwks: object): Promise<JwksServer> {
  const body = JSON.stringify(jwks);
  const state = { requests: 0 };
  const server = http.createServer((_req, res) => {
    state.requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface Claims {
  iss?: string;
  sub?: string;
  aud?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

export function signRs256(pair: KeyPair, claims: Claims): string {
  return jwt.sign(claims, pair.privateKey, { algorithm: 'RS256', keyid: pair.kid, noTimestamp: true });
}

const base64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token with `alg: none` and no signature: "trust me". */
export function unsignedToken(kid: string, claims: Claims): string {
  return `${base64url({ alg: 'none', typ: 'JWT', kid })}.${base64url(claims)}.`;
}

/**
 * The classic algorithm-confusion forgery: HS256 with the issuer's PUBLIC key (which anyone can download) as
 * the HMAC secret. A verifier that lets the token pick its algorithm would accept it.
 */
export function hs256WithPublicKey(pair: KeyPair, claims: Claims): string {
  const secret = pair.publicKey.export({ type: 'spki', format: 'pem' });
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: pair.kid })}.${base64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** A valid token whose payload was changed afterwards, keeping the original signature. */
export function tamperedToken(token: string, changes: Claims): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  return `${header}.${base64url({ ...claims, ...changes })}.${signature}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
