import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useApiUrl } from '../api/api-url';
import { findGroup, messageOf, type Group } from '../api/groups-api';

type Lookup =
  | { status: 'loading' }
  | { status: 'found'; group: Group }
  | { status: 'missing' }
  | { status: 'failed'; message: string };

/**
 * One group. Coming from the list or the form, the group travels in the navigation state and shows at once;
 * opened from a bookmark, it is looked up through the API.
 */
export function GroupPage(): React.JSX.Element {
  const { groupId = '' } = useParams();
  const passed = (useLocation().state as { group?: Group } | null)?.group;
  const known = passed?.id === groupId ? passed : undefined;
  const apiUrl = useApiUrl();
  const [lookup, setLookup] = useState<Lookup>({ status: 'loading' });

  useEffect(() => {
    if (known !== undefined) return;
    let current = true;
    findGroup(apiUrl, groupId).then(
      (group) => {
        if (current) setLookup(group === undefined ? { status: 'missing' } : { status: 'found', group });
      },
      (failure: unknown) => {
        if (current) setLookup({ status: 'failed', message: messageOf(failure) });
      },
    );
    return () => {
      current = false;
    };
  }, [apiUrl, groupId, known]);

  const shown: Lookup = known === undefined ? lookup : { status: 'found', group: known };
  return (
    <section>
      {shown.status === 'loading' && <p role="status">Loading the group…</p>}
      {shown.status === 'failed' && <p role="alert">{shown.message}</p>}
      {shown.status === 'missing' && <p role="alert">There is no group with id {groupId}.</p>}
      {shown.status === 'found' && (
        <article>
          <h1>{shown.group.name}</h1>
          <p>{shown.group.description}</p>
          <p>
            Created <time dateTime={shown.group.timestamp}>{shown.group.timestamp.slice(0, 10)}</time>
          </p>
        </article>
      )}
      <Link to="/">Back to the groups</Link>
    </section>
  );
}
