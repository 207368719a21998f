// Adapter: ImageProbe over HTTP(S) with a HEAD request. It uses node:http and node:https (not fetch) because
// @opentelemetry/instrumentation-http traces those modules: each probe shows in the trace as a remote call
// (fetch would need @opentelemetry/instrumentation-undici as well).
import http from 'node:http';
import https from 'node:https';
import type { ImageProbe } from '../core/ports';

/** The modules requests are made with: Node's own unless a test gives others. */
export interface HttpModules {
  http: typeof http;
  https: typeof https;
}

/** A slow image host must not eat the function's whole timeout. */
export const PROBE_TIMEOUT_MS = 2000;

export class HttpImageProbe implements ImageProbe {
  constructor(private readonly modules: HttpModules = { http, https }) {}

  contentType(url: string): Promise<string> {
    const client = url.startsWith('https:') ? this.modules.https : this.modules.http;
    return new Promise((resolve, reject) => {
      const request = client.request(url, { method: 'HEAD', timeout: PROBE_TIMEOUT_MS }, (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) reject(new Error(`HEAD ${url} answered ${status}`));
        else resolve(response.headers['content-type'] ?? 'application/octet-stream');
      });
      request.on('timeout', () => request.destroy(new Error(`HEAD ${url} timed out`)));
      request.on('error', reject);
      request.end();
    });
  }
}
