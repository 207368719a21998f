// Every page's frame: a skip link, the header (home, search, sign-in state) and the main region.
import { useState, type FormEvent } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import { useServices, useSession } from '../services';

export function Layout() {
  const { docsUrl } = useServices();
  const { session, signIn, signOut, error } = useSession();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const search = (event: FormEvent) => {
    event.preventDefault();
    const text = query.trim();
    if (text !== '') void navigate(`/search?q=${encodeURIComponent(text)}`);
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Udagram
        </Link>
        <form role="search" onSubmit={search} className="search">
          <label htmlFor="search-query" className="visually-hidden">
            Search images
          </label>
          <input
            id="search-query"
            type="search"
            placeholder="Search images"
            maxLength={100}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <button type="submit">Search</button>
        </form>
        <div className="account">
          {session === undefined ? null : session ? (
            <>
              <span>
                Signed in as <strong>{session.name}</strong>
              </span>
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <button type="button" onClick={() => void signIn()}>
              Sign in
            </button>
          )}
        </div>
      </header>
      {error && (
        <p role="alert" className="error banner">
          {error}
        </p>
      )}
      <main id="main">
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Udagram, the course&apos;s finished app.
          {docsUrl && (
            <>
              {' '}
              <a href={docsUrl}>Read the course</a>.
            </>
          )}
        </p>
      </footer>
    </>
  );
}
