// toBeInTheDocument(), toHaveAccessibleName() and the other DOM matchers, for every component test.
import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'node:util';

// jsdom leaves out TextEncoder, which browsers have and React Router uses.
if (typeof globalThis.TextEncoder === 'undefined') {
  Object.assign(globalThis, { TextEncoder, TextDecoder });
}
