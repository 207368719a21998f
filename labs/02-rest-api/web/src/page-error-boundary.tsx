import { Component, type ReactNode } from 'react';
import { useLocation } from 'react-router';

interface State {
  error?: Error;
}

/** React catches render errors only in a class component with getDerivedStateFromError. */
class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = {};

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    return error === undefined ? this.props.children : <p role="alert">{error.message}</p>;
  }
}

/**
 * Shows the message of an error thrown while rendering instead of a blank page. In the student edition that
 * is how a task not written yet shows itself in the browser: its stub throws NotImplemented, whose message
 * names the task and the command that checks it. Another address (the browser's Back) tries again.
 */
export function PageErrorBoundary({ children }: { children: ReactNode }): React.JSX.Element {
  const { pathname } = useLocation();
  return <ErrorBoundary key={pathname}>{children}</ErrorBoundary>;
}
