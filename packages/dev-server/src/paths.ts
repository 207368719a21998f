// Where the app's pieces live in the repository, from this package's own location.
import path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');
export const BACKEND_PATH = path.join(REPOSITORY_ROOT, 'final-app', 'backend');
export const FRONTEND_PATH = path.join(REPOSITORY_ROOT, 'final-app', 'frontend');

/** Next to local-cloud's own state, so one folder (gitignored) holds everything `npm start` keeps. */
export function stateDir(servicePath: string): string {
  return path.join(servicePath, '.local-cloud', 'udagram-start');
}
