import { Link, Route, Routes } from 'react-router';
import { CreateGroupPage } from './pages/create-group-page';
import { GroupPage } from './pages/group-page';
import { GroupsPage } from './pages/groups-page';

/** The page's routes. The router itself is chosen by the caller: BrowserRouter in main.tsx, MemoryRouter in tests. */
export function App(): React.JSX.Element {
  return (
    <>
      <header>
        <nav aria-label="Main">
          <Link to="/">Groups</Link> · <Link to="/groups/new">New group</Link>
        </nav>
      </header>
      <main>
        <Routes>
          <Route path="/" element={<GroupsPage />} />
          <Route path="/groups/new" element={<CreateGroupPage />} />
          <Route path="/groups/:groupId" element={<GroupPage />} />
          <Route
            path="*"
            element={
              <p>
                There is no such page. <Link to="/">Back to the groups</Link>
              </p>
            }
          />
        </Routes>
      </main>
    </>
  );
}
