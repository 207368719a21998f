import { Link } from 'react-router';
import { PageHeading } from '../components/status';

export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>
        There is no page at this address. <Link to="/">Go to the groups</Link>.
      </p>
    </>
  );
}
