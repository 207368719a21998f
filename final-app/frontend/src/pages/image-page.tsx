import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorMessage, Loading, PageHeading } from '../components/status';
import { useServices, useSession } from '../services';
import { useLoad } from '../use-load';

export function ImagePage() {
  const { imageId = '' } = useParams();
  const { api } = useServices();
  const { session } = useSession();
  const navigate = useNavigate();
  const { state, retry } = useLoad(() => api.getImage(imageId), [api, imageId]);
  const [deleting, setDeleting] = useState<{ confirm: boolean; busy: boolean; error?: string }>({
    confirm: false,
    busy: false,
  });

  if (state.status === 'loading') return <Loading>Loading the image…</Loading>;
  if (state.status === 'failed') {
    return (
      <>
        <PageHeading title="Image not available">Image not available</PageHeading>
        <ErrorMessage message={state.message} onRetry={retry} />
        <p>
          <Link to="/">Back to the groups</Link>
        </p>
      </>
    );
  }
  const image = state.value;
  const remove = async () => {
    setDeleting({ confirm: true, busy: true });
    try {
      await api.deleteImage(image.imageId);
      void navigate(`/groups/${encodeURIComponent(image.groupId)}`);
    } catch (error) {
      setDeleting({ confirm: false, busy: false, error: (error as Error).message });
    }
  };
  return (
    <article>
      <p className="breadcrumb">
        <Link to={`/groups/${encodeURIComponent(image.groupId)}`}>Back to the group</Link>
      </p>
      <PageHeading title={image.title}>{image.title}</PageHeading>
      <figure className="full-image">
        <img src={image.imageUrl} alt={image.title} />
        <figcaption>
          Uploaded by {image.userId} on{' '}
          <time dateTime={image.timestamp}>{new Date(image.timestamp).toLocaleString()}</time>
          {image.status === 'pending' && ' (still processing)'}
        </figcaption>
      </figure>
      {deleting.error && <ErrorMessage message={deleting.error} />}
      {session?.userId === image.userId &&
        (deleting.confirm ? (
          <div className="confirm" role="group" aria-label="Confirm deletion">
            <p>Delete this image for everyone?</p>
            <button type="button" className="danger" disabled={deleting.busy} onClick={() => void remove()}>
              {deleting.busy ? 'Deleting…' : 'Yes, delete it'}
            </button>
            <button
              type="button"
              disabled={deleting.busy}
              onClick={() => setDeleting({ confirm: false, busy: false })}
            >
              Keep it
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="danger"
            onClick={() => setDeleting({ confirm: true, busy: false })}
          >
            Delete image
          </button>
        ))}
    </article>
  );
}
