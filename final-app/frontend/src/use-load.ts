// Loading data for a page: the three states every page shows (loading, failed with a retry, ready).
import { useCallback, useEffect, useState } from 'react';

export type LoadState<T> =
  { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; value: T };

export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): { state: LoadState<T>; retry: () => void; update: (change: (value: T) => T) => void } {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let active = true;
    setState({ status: 'loading' });
    load().then(
      (value) => active && setState({ status: 'ready', value }),
      (error: unknown) =>
        active &&
        setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      active = false;
    };
    // The caller lists what `load` depends on, as it would for useEffect.
  }, [...deps, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback(
    (change: (value: T) => T) =>
      setState((current) =>
        current.status === 'ready' ? { status: 'ready', value: change(current.value) } : current,
      ),
    [],
  );
  return { state, retry, update };
}
