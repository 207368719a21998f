// One port answers every way an AWS client connects: HTTP/1.1 in the clear, TLS (with ALPN choosing HTTP/1.1 or
// HTTP/2), and HTTP/2 in the clear with prior knowledge, as the SDK v3's Kinesis client speaks to an http://
// endpoint. The same request listener answers all of them, with the host where an HTTP/1 handler reads it.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateCertificates, type LocalCertificates } from '../../src/tls/local-certificates';
import { listenPlainAndTls, type PlainAndTlsListener } from '../../src/tls/plain-and-tls';

describe('a port that answers HTTP/1.1, TLS and HTTP/2', () => {
  let dir: string;
  let certificates: LocalCertificates;
  let listener: PlainAndTlsListener;
  const origin = (scheme: 'http' | 'https') => `${scheme}://127.0.0.1:${listener.port}`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-plain-and-tls-'));
    certificates = await loadOrCreateCertificates(dir, '127.0.0.1');
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, body }));
      });
    });
    listener = await listenPlainAndTls({
      port: 0,
      host: '127.0.0.1',
      plain: server,
      tls: { key: certificates.privateKey, cert: certificates.certificate },
      purpose: 'test endpoint',
      fix: 'try again',
    });
  });

  afterAll(async () => {
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const h2Request = async (authority: string, options: http2.SecureClientSessionOptions = {}) => {
    const session = http2.connect(authority, options);
    try {
      return await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/streams?x=1' });
        let status = 0;
        let text = '';
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
        stream.on('end', () => resolve({ status, body: JSON.parse(text) as unknown }));
        stream.on('error', reject);
        stream.end('{"Limit":1}');
      });
    } finally {
      session.close();
    }
  };

  it('answers HTTP/1.1 in the clear', async () => {
    const response = await fetch(`${origin('http')}/plain`, { method: 'POST', body: 'hi' });
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/plain',
      host: `127.0.0.1:${listener.port}`,
      body: 'hi',
    });
  });

  it('answers HTTP/2 with prior knowledge, giving the handler the :authority as its host', async () => {
    expect(await h2Request(origin('http'))).toEqual({
      status: 200,
      body: { method: 'POST', url: '/streams?x=1', host: `127.0.0.1:${listener.port}`, body: '{"Limit":1}' },
    });
  });

  it('answers HTTP/2 over TLS when the client offers h2', async () => {
    const answered = await h2Request(origin('https'), { ca: certificates.caCertificate });
    expect(answered).toMatchObject({ status: 200, body: { url: '/streams?x=1', body: '{"Limit":1}' } });
  });

  it('answers HTTP/1.1 over TLS when the client offers only that', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${origin('https')}/secure`, { ca: certificates.caCertificate }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ method: 'GET', url: '/secure' });
  });
});
