// Serves the built web client (with config.json, and index.html for every app route so deep links and
// reloads work) and the docs site under /docs/, on loopback only.
//
// Every file is resolved relative to its folder (`root`), never as an absolute path: `send` refuses a path
// with a dot-folder in it, and the build lives under final-app/backend/.local-cloud/, so only the part of the
// path that comes from the URL may be checked. Every error answers with one short line; the detail goes to
// the terminal log, never to the browser (no stack traces, no paths of this machine).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { PortInUseError } from '@serverless-course/local-cloud';

export interface WebServerOptions {
  appDir: string;
  docsDir?: string;
  /** Served as /config.json: where the client finds its API. */
  config: Record<string, unknown>;
  port: number;
  host: string;
  /** Where an unexpected error's detail goes (the terminal); the browser gets one short line. */
  log?: (line: string) => void;
}

export interface WebServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** What each status tells the visitor: short, and what to do next. */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: the address is not a valid URL. Check it for a stray "%".',
  403: 'Forbidden: that path is outside the app. Start from /.',
  404: 'Not found. The app starts at /, the docs at /docs/.',
  405: 'Method not allowed: this server only serves pages (GET and HEAD).',
  500: 'Internal error in the web server. The terminal running npm start shows what went wrong.',
};

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  app.use(refuseMalformedPaths);
  app.get('/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(options.config);
  });
  // A missing docs page is a 404, not the app's page: the app has no route under /docs/.
  if (options.docsDir) app.use('/docs', express.static(options.docsDir, { fallthrough: false }));
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
  app.use(appPage(options.appDir));
  app.use(((error, req, res, _next) => {
    const status = statusOf(error);
    if (status >= 500) {
      log(`web server: ${req.method} ${req.originalUrl} failed: ${(error as Error).stack ?? String(error)}`);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .status(status)
      .type('text/plain')
      .send(STATUS_TEXT[status] ?? STATUS_TEXT[500]);
  }) satisfies ErrorRequestHandler);

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

/**
 * A path that does not decode is a 400 and one that climbs out with `..` a 403, before any route sees it:
 * otherwise the static handlers pass them on and the app's page would answer 200 to nonsense.
 */
const refuseMalformedPaths: RequestHandler = (req, _res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.path);
  } catch {
    next(Object.assign(new Error('malformed URL'), { status: 400 }));
    return;
  }
  next(
    decoded.split(/[\\/]/).includes('..')
      ? Object.assign(new Error('traversal'), { status: 403 })
      : undefined,
  );
};

/** Client-side routes (/groups/..., /callback): the app's page, which routes itself. */
function appPage(appDir: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      next(Object.assign(new Error(`${req.method} is not served`), { status: 405 }));
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile('index.html', { root: appDir }, (error?: NodeJS.ErrnoException) => {
      if (!error) return;
      // The page itself missing is the server's fault (a build that did not finish), not the visitor's.
      next(
        error.code === 'ENOENT'
          ? new Error(`the web client's page is missing: ${path.join(appDir, 'index.html')}`)
          : error,
      );
    });
  };
}
