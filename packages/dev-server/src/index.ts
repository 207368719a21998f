// The programmatic API, for the app's browser tests and tools.
export { startApp, type RunningApp, type StartAppOptions } from './start-app';
export { acquireLock, LockHeldError, type Lock, type LockOwner } from './lock-file';
export { BACKEND_PATH, FRONTEND_PATH } from './paths';
