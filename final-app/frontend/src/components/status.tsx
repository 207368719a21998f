// The states every page shows the same way: loading (announced politely), an error (announced at once, with
// what to do), and the page's own heading, which takes the focus when the app moves to the page, so a screen
// reader user hears where they are after following a link. Not on the first page loaded: there the browser's
// own start (the skip link first) is what keyboard users expect.
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

export function Loading({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="loading">
      {children}
    </p>
  );
}

export function ErrorMessage({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="error">
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The router gives the entry the browser loaded the key "default"; every navigation gets a new one.
  const navigated = useLocation().key !== 'default';
  useEffect(() => {
    document.title = `${title} · Udagram`;
    if (navigated) heading.current?.focus();
  }, [title, navigated]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
