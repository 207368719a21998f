import { Link, useSearchParams } from 'react-router';
import { ImageGrid } from '../components/image-grid';
import { ErrorMessage, Loading, PageHeading } from '../components/status';
import { useServices } from '../services';
import { useLoad } from '../use-load';

export function SearchPage() {
  const [params] = useSearchParams();
  const query = (params.get('q') ?? '').trim();
  const { api } = useServices();
  const { state, retry } = useLoad(
    async () => (query === '' ? { items: [] } : api.searchImages(query)),
    [api, query],
  );
  return (
    <>
      <PageHeading title={`Search: ${query}`}>Images matching “{query}”</PageHeading>
      {query === '' && <p>Type words from an image title in the search box.</p>}
      {state.status === 'loading' && <Loading>Searching…</Loading>}
      {state.status === 'failed' && <ErrorMessage message={state.message} onRetry={retry} />}
      {state.status === 'ready' &&
        query !== '' &&
        (state.value.items.length === 0 ? (
          <p>
            No images match “{query}”. Try another word, or <Link to="/">browse the groups</Link>.
          </p>
        ) : (
          <ImageGrid images={state.value.items} label="Search results" />
        ))}
    </>
  );
}
