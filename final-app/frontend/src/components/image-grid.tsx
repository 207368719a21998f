// Images as a grid of thumbnails, each a link to its page. An image whose thumbnail is not made yet shows a
// placeholder that says so; the live events replace it when the thumbnail is ready.
import { Link } from 'react-router';
import type { Image } from '../api/types';

export function ImageGrid({ images, label }: { images: Image[]; label: string }) {
  return (
    <ul className="image-grid" aria-label={label}>
      {images.map((image) => (
        <li key={image.imageId}>
          <Link to={`/images/${encodeURIComponent(image.imageId)}`} className="image-card">
            {image.thumbnailUrl ? (
              <img src={image.thumbnailUrl} alt={image.title} width={160} height={160} loading="lazy" />
            ) : (
              <span
                className="thumbnail-pending"
                role="img"
                aria-label={`${image.title}: thumbnail being made`}
              >
                Processing…
              </span>
            )}
            {/* The thumbnail's alternative text already names the link. */}
            <span className="image-title" aria-hidden="true">
              {image.title}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Adds an image, or replaces the one with the same id, keeping newest first. */
export function upsertImage(images: Image[], image: Image): Image[] {
  const others = images.filter((item) => item.imageId !== image.imageId);
  return [image, ...others].sort((a, b) => b.timestamp.localeCompare(a.timestamp));
}
