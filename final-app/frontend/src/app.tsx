// The routes. The router itself comes from outside: BrowserRouter in main.tsx, MemoryRouter in tests.
import { Route, Routes } from 'react-router';
import { CALLBACK_PATH } from './auth/auth';
import { Layout } from './components/layout';
import { CallbackPage } from './pages/callback-page';
import { GroupPage } from './pages/group-page';
import { GroupsPage } from './pages/groups-page';
import { ImagePage } from './pages/image-page';
import { NotFoundPage } from './pages/not-found-page';
import { SearchPage } from './pages/search-page';
import { ServicesProvider, type Services } from './services';

export function App({ services }: { services: Services }) {
  return (
    <ServicesProvider services={services}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<GroupsPage />} />
          <Route path="groups/:groupId" element={<GroupPage />} />
          <Route path="images/:imageId" element={<ImagePage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path={CALLBACK_PATH.slice(1)} element={<CallbackPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </ServicesProvider>
  );
}
