import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useApiUrl } from '../api/api-url';
import { fetchGroups, messageOf, type Group } from '../api/groups-api';

/** The list of groups, a page at a time, each linking to its group page. */
export function GroupsPage(): React.JSX.Element {
  // BEGIN SOLUTION groups-page
  // TODO(groups-page): load the first page on mount, show the groups as links, and a Load more button while there is a nextKey.
  const apiUrl = useApiUrl();
  const [groups, setGroups] = useState<Group[]>([]);
  const [nextKey, setNextKey] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // React may run an effect twice (StrictMode) or unmount before the answer comes: drop stale answers.
    let current = true;
    fetchGroups(apiUrl).then(
      (page) => {
        if (!current) return;
        setGroups(page.items);
        setNextKey(page.nextKey);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(messageOf(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [apiUrl]);

  async function loadMore(after: string): Promise<void> {
    setLoading(true);
    setError(null);
    try {
      const page = await fetchGroups(apiUrl, after);
      setGroups((shown) => [...shown, ...page.items]);
      setNextKey(page.nextKey);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setLoading(false);
    }
  }

  return (
    <section aria-labelledby="groups-heading">
      <h1 id="groups-heading">Groups</h1>
      {error !== null && <p role="alert">{error}</p>}
      {!loading && error === null && groups.length === 0 && (
        <p>
          No groups yet. <Link to="/groups/new">Create the first one</Link>.
        </p>
      )}
      <ul>
        {groups.map((group) => (
          <li key={group.id}>
            <Link to={`/groups/${group.id}`} state={{ group }}>
              {group.name}
            </Link>
            <p>{group.description}</p>
          </li>
        ))}
      </ul>
      {loading && <p role="status">Loading groups…</p>}
      {!loading && nextKey !== null && (
        <button type="button" onClick={() => void loadMore(nextKey)}>
          Load more
        </button>
      )}
    </section>
  );
  // END SOLUTION
}
