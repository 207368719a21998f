import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { jsonResponse } from '../http/json-response';

export interface Sandbox {
  /** Made up when the sandbox starts; the same for every invocation it serves. */
  id: string;
  /** When this module was loaded, ISO 8601: the cold start. */
  initialisedAt: string;
  invocations: number;
}

export interface SandboxInfo {
  /** True only for the first invocation a sandbox serves, the one that waited for the module to load. */
  coldStart: boolean;
  /** How many invocations this sandbox has served, this one included. */
  invocation: number;
  sandboxId: string;
  initialisedAt: string;
}

/** Runs once, when Lambda loads the module into a new sandbox (execution environment). */
export function startSandbox(): Sandbox {
  // BEGIN SOLUTION cold-start
  return { id: randomUUID(), initialisedAt: new Date().toISOString(), invocations: 0 };
  // END SOLUTION
}

// Module scope runs once per sandbox, before its first invocation; while the sandbox stays warm every later
// invocation sees the same values. That is where SDK clients and configuration belong: paid for once.
const sandbox = startSandbox();

/** GET /sandbox answers which sandbox served the request, and whether it had to start for it. */
export async function handler(): Promise<APIGatewayProxyResult> {
  // BEGIN SOLUTION cold-start
  sandbox.invocations += 1;
  const info: SandboxInfo = {
    coldStart: sandbox.invocations === 1,
    invocation: sandbox.invocations,
    sandboxId: sandbox.id,
    initialisedAt: sandbox.initialisedAt,
  };
  return jsonResponse(200, info);
  // END SOLUTION
}
