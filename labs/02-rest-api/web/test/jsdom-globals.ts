// jsdom (Jest's browser-like environment) lacks TextEncoder and TextDecoder, which every browser has and React
// Router uses. Node's own are the same WHATWG classes, so the web tests get those.
import { TextDecoder, TextEncoder } from 'node:util';

if (typeof globalThis.TextEncoder === 'undefined') {
  Object.assign(globalThis, { TextEncoder, TextDecoder });
}
