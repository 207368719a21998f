// Decorators that add spans around the app and its probe, leaving both untouched: tracing is an adapter
// concern, the core never sees it. The attributes are what you would search by (groupId, imageHost).
import type { ImagesApi } from '../app/api-types';
import type { ImageProbe } from '../core/ports';
import { inSpan } from './tracer';

const GROUP_IN_PATH = /^\/groups\/([^/]+)/;

export function tracedImagesApi(api: ImagesApi): ImagesApi {
  return {
    handle: (request) => {
      const groupId = GROUP_IN_PATH.exec(request.path)?.[1] ?? '';
      return inSpan(`${request.method} images`, { groupId }, () => api.handle(request));
    },
  };
}

export function tracedImageProbe(probe: ImageProbe): ImageProbe {
  return {
    contentType: (url) => inSpan('probe-image', { imageHost: hostOf(url) }, () => probe.contentType(url)),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'invalid';
  }
}
