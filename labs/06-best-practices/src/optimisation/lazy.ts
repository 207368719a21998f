// Lazy initialisation: build something on first use, then keep it for the sandbox's life. Module scope runs
// during the cold start for every invocation path; what only some paths need should not slow all of them.

export function lazy<T>(create: () => T): () => T {
  // BEGIN SOLUTION lazy-init
  // TODO(lazy-init): call create on the first call only, and return the same value on every later call.
  let created = false;
  let value: T;
  return () => {
    if (!created) {
      value = create();
      created = true;
    }
    return value;
  };
  // END SOLUTION
}
