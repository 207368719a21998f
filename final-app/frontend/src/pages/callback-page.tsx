// Where the issuer sends the browser back after sign-in (the redirect URI): the code becomes tokens, then
// the app returns to the page the user signed in from.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorMessage, Loading, PageHeading } from '../components/status';
import { useServices, useSession } from '../services';

export function CallbackPage() {
  const { auth } = useServices();
  const { setSession } = useSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | undefined>(undefined);
  // A code works once: React's development double effects must not exchange it twice.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    auth.completeSignIn().then(
      ({ session, returnTo }) => {
        setSession(session);
        void navigate(returnTo, { replace: true });
      },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
    );
  }, [auth, navigate, setSession]);
  if (!failure) return <Loading>Signing you in…</Loading>;
  return (
    <>
      <PageHeading title="Sign-in failed">Sign-in failed</PageHeading>
      <ErrorMessage message={`${failure} Sign in again from the header.`} />
      <p>
        <Link to="/">Back to the groups</Link>
      </p>
    </>
  );
}
