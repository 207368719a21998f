// Serves the built web client (with config.json, and index.html for every app route so deep links and
// reloads work) and the docs site under /docs/, on loopback only.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { PortInUseError } from '@serverless-course/local-cloud';

export interface WebServerOptions {
  appDir: string;
  docsDir?: string;
  /** Served as /config.json: where the client finds its API. */
  config: Record<string, unknown>;
  port: number;
  host: string;
}

export interface WebServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  app.get('/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(options.config);
  });
  if (options.docsDir) app.use('/docs', express.static(options.docsDir));
  // Vite names assets by content hash: a changed file is a new name, so they may be cached for good.
  app.use(
    '/assets',
    express.static(path.join(options.appDir, 'assets'), {
      immutable: true,
      maxAge: '1y',
      fallthrough: false,
    }),
  );
  app.use(express.static(options.appDir, { index: false }));
  // Client-side routes (/groups/..., /callback): the app's page, which routes itself.
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(path.join(options.appDir, 'index.html'));
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, options.host);
    listening.once('listening', () => resolve(listening));
    listening.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(options.port, options.host, 'web app', 'choose another with --port N')
          : error,
      ),
    );
  });
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${options.host}:${port}`,
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
