// Starts one of the corpus's projects (test/corpus/projects/<name>) as a user starts their service folder:
// serverless.yml resolved by the framework, functions in real sandboxes, data in memory. A project runs in
// place, unless the test has files to add to it (.local-cloud/secrets.json): then it runs from a copy in a
// temporary folder, which gets the repository's node_modules as a project has its own.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, type LocalCloud } from '../../src';
import { logRecorder } from '../support/log-recorder';

const PROJECTS = path.join(__dirname, 'projects');
const REPOSITORY_NODE_MODULES = path.resolve(__dirname, '../../../../node_modules');

export interface StartedProject {
  cloud: LocalCloud;
  log: ReturnType<typeof logRecorder>;
  /** The SDK v3 client settings that reach this cloud's AWS endpoint. */
  aws: { endpoint: string; region: string; credentials: LocalCloud['credentials']; maxAttempts: number };
  /** The log's `warning:` lines: what local-cloud could not honour, or what the framework warned of. */
  warnings(): string[];
  stop(): Promise<void>;
}

export interface ProjectOptions {
  /** Unique among the corpus's tests: names of tables, buckets and functions include it. */
  stage: string;
  /** Files to write into a copy of the project (path relative to it: content). */
  files?: Record<string, string>;
}

export async function startProject(name: string, options: ProjectOptions): Promise<StartedProject> {
  let servicePath = path.join(PROJECTS, name);
  let copy: string | undefined;
  if (options.files) {
    copy = mkdtempSync(path.join(os.tmpdir(), `local-cloud-corpus-${name}-`));
    cpSync(servicePath, copy, {
      recursive: true,
      filter: (source) => !source.split(path.sep).includes('.local-cloud'),
    });
    symlinkSync(REPOSITORY_NODE_MODULES, path.join(copy, 'node_modules'), 'dir');
    for (const [file, content] of Object.entries(options.files)) {
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      writeFileSync(path.join(copy, file), content);
    }
    servicePath = copy;
  }
  const removeCopy = () => copy && rmSync(copy, { recursive: true, force: true });
  const log = logRecorder();
  try {
    const cloud = await start({ servicePath, stage: options.stage, inMemory: true, log: log.log });
    return {
      cloud,
      log,
      aws: {
        endpoint: cloud.lambdaEndpoint,
        region: cloud.region,
        credentials: cloud.credentials,
        maxAttempts: 1,
      },
      warnings: () => log.lines.filter((line) => line.startsWith('warning:')),
      stop: async () => {
        await cloud.stop();
        removeCopy();
      },
    };
  } catch (error) {
    removeCopy();
    throw error;
  }
}

/**
 * Starts the project before the file's tests and stops it after them; the returned function gives the running
 * project inside a test.
 */
export function useProject(name: string, options: ProjectOptions): () => StartedProject {
  let project: StartedProject | undefined;
  beforeAll(async () => {
    project = await startProject(name, options);
  }, 60_000);
  afterAll(async () => {
    await project?.stop();
  });
  return () => {
    if (!project) throw new Error(`the project ${name} did not start`);
    return project;
  };
}

/** A JSON request to one of the project's APIs; resolves with the status, headers and parsed body. */
export async function request<T = unknown>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const json = init.body !== undefined && typeof init.body !== 'string';
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(json && { 'content-type': 'application/json' }), ...init.headers },
    body: json ? JSON.stringify(init.body) : (init.body as string | undefined),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the text as it came.
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** What a refused request's answer is expected to match: its status and its `{ message }`. */
export const answer = (status: number, message: string) => ({ status, body: { message } });
