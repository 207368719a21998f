import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Group, Page } from '../api/types';
import { NewGroupForm } from '../components/new-group-form';
import { ErrorMessage, Loading, PageHeading } from '../components/status';
import { useServices, useSession } from '../services';
import { useLoad } from '../use-load';

const PAGE_SIZE = 20;

export function GroupsPage() {
  const { api } = useServices();
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const { state, retry, update } = useLoad(() => api.listGroups({ limit: PAGE_SIZE }), [api]);
  const [more, setMore] = useState<{ loading: boolean; error?: string }>({ loading: false });

  const loadMore = async (page: Page<Group>) => {
    setMore({ loading: true });
    try {
      const next = await api.listGroups({ limit: PAGE_SIZE, nextKey: page.nextKey });
      update((current) => ({ items: [...current.items, ...next.items], nextKey: next.nextKey }));
      setMore({ loading: false });
    } catch (error) {
      setMore({ loading: false, error: (error as Error).message });
    }
  };

  return (
    <>
      <PageHeading title="Groups">Groups</PageHeading>
      <div className="columns">
        <section aria-labelledby="all-groups">
          <h2 id="all-groups" className="visually-hidden">
            All groups
          </h2>
          {state.status === 'loading' && <Loading>Loading groups…</Loading>}
          {state.status === 'failed' && <ErrorMessage message={state.message} onRetry={retry} />}
          {state.status === 'ready' &&
            (state.value.items.length === 0 ? (
              <p>No groups yet. {session ? 'Create the first one.' : 'Sign in to create the first one.'}</p>
            ) : (
              <>
                <ul className="group-list">
                  {state.value.items.map((group) => (
                    <li key={group.id}>
                      <Link to={`/groups/${encodeURIComponent(group.id)}`}>{group.name}</Link>
                      {group.description && <p>{group.description}</p>}
                    </li>
                  ))}
                </ul>
                {more.error && <ErrorMessage message={more.error} />}
                {state.value.nextKey && (
                  <button type="button" disabled={more.loading} onClick={() => void loadMore(state.value)}>
                    {more.loading ? 'Loading…' : 'More groups'}
                  </button>
                )}
              </>
            ))}
        </section>
        <aside>
          {session ? (
            <NewGroupForm onCreated={(group) => void navigate(`/groups/${encodeURIComponent(group.id)}`)} />
          ) : session === null ? (
            <div className="card">
              <h2>Share your images</h2>
              <p>Sign in to create groups and upload images.</p>
              <button type="button" onClick={() => void signIn()}>
                Sign in to create a group
              </button>
            </div>
          ) : null}
        </aside>
      </div>
    </>
  );
}
