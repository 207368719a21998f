import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Group, Image, Page } from '../api/types';
import { ImageGrid, upsertImage } from '../components/image-grid';
import { ErrorMessage, Loading, PageHeading } from '../components/status';
import { UploadForm } from '../components/upload-form';
import type { LiveStatus } from '../live/image-events';
import { useServices, useSession } from '../services';
import { useLoad } from '../use-load';

/** Should a live event be missed (a dropped socket), the uploader's own page still gets its thumbnail. */
const THUMBNAIL_POLL = { intervalMs: 1500, attempts: 40 };

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: new images appear here as they are uploaded.',
  offline: 'Live updates are offline, reconnecting. Reload the page to see new images.',
};

export function GroupPage({ createRequest }: { createRequest?: () => XMLHttpRequest }) {
  const { groupId = '' } = useParams();
  const { api, events } = useServices();
  const { session } = useSession();
  const { state, retry, update } = useLoad(async (): Promise<{ group: Group; images: Page<Image> }> => {
    const [group, images] = await Promise.all([api.getGroup(groupId), api.listImages(groupId)]);
    return { group, images };
  }, [api, groupId]);
  const [waitingFor, setWaitingFor] = useState<string[]>([]);
  const [live, setLive] = useState<LiveStatus>('connecting');
  useEffect(() => events.watchStatus(setLive), [events]);

  useEffect(
    () =>
      events.subscribe((event) => {
        if (event.type === 'image-uploaded' && event.image.groupId === groupId) {
          update((value) => ({
            ...value,
            images: { ...value.images, items: upsertImage(value.images.items, event.image) },
          }));
        }
        if (event.type === 'image-deleted') {
          update((value) => ({
            ...value,
            images: {
              ...value.images,
              items: value.images.items.filter((image) => image.imageId !== event.imageId),
            },
          }));
        }
      }),
    [events, groupId, update],
  );

  useEffect(() => {
    if (waitingFor.length === 0) return;
    let attempts = 0;
    const timer = setInterval(() => {
      attempts += 1;
      if (attempts > THUMBNAIL_POLL.attempts) {
        setWaitingFor([]);
        return;
      }
      waitingFor.forEach((imageId) => {
        api.getImage(imageId).then(
          (image) => {
            if (!image.thumbnailUrl) return;
            update((value) => ({
              ...value,
              images: { ...value.images, items: upsertImage(value.images.items, image) },
            }));
            setWaitingFor((ids) => ids.filter((id) => id !== imageId));
          },
          () => undefined,
        );
      });
    }, THUMBNAIL_POLL.intervalMs);
    return () => clearInterval(timer);
  }, [api, update, waitingFor]);

  const [more, setMore] = useState<{ loading: boolean; error?: string }>({ loading: false });
  const loadMore = async (nextKey: string) => {
    setMore({ loading: true });
    try {
      const next = await api.listImages(groupId, { nextKey });
      update((value) => ({
        ...value,
        images: { items: [...value.images.items, ...next.items], nextKey: next.nextKey },
      }));
      setMore({ loading: false });
    } catch (error) {
      setMore({ loading: false, error: (error as Error).message });
    }
  };

  if (state.status === 'loading') return <Loading>Loading the group…</Loading>;
  if (state.status === 'failed') {
    return (
      <>
        <PageHeading title="Group not available">Group not available</PageHeading>
        <ErrorMessage message={state.message} onRetry={retry} />
        <p>
          <Link to="/">Back to the groups</Link>
        </p>
      </>
    );
  }
  const { group, images } = state.value;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">Groups</Link>
      </p>
      <PageHeading title={group.name}>{group.name}</PageHeading>
      {group.description && <p className="lead">{group.description}</p>}
      <div className="columns">
        <section aria-labelledby="images-heading">
          <h2 id="images-heading">Images</h2>
          <p className={`live-status live-${live}`}>{LIVE_TEXT[live]}</p>
          {images.items.length === 0 ? (
            <p>No images in this group yet.</p>
          ) : (
            <ImageGrid images={images.items} label={`Images in ${group.name}`} />
          )}
          {more.error && <ErrorMessage message={more.error} />}
          {images.nextKey && (
            <button type="button" disabled={more.loading} onClick={() => void loadMore(images.nextKey ?? '')}>
              {more.loading ? 'Loading…' : 'More images'}
            </button>
          )}
        </section>
        <aside>
          {session ? (
            <UploadForm
              groupId={group.id}
              createRequest={createRequest}
              onUploaded={(image) => {
                update((value) => ({
                  ...value,
                  images: { ...value.images, items: upsertImage(value.images.items, image) },
                }));
                if (!image.thumbnailUrl) setWaitingFor((ids) => [...ids, image.imageId]);
              }}
            />
          ) : session === null ? (
            <p className="card">Sign in to upload images to this group.</p>
          ) : null}
        </aside>
      </div>
    </>
  );
}
