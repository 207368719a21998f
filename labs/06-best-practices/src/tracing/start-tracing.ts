// Imported first by every handler (before anything that imports the AWS SDK): the instrumentations can only
// patch modules required after them. In a bundle, imports run in order, so first means first.
import { setUpTracing, tracingConfigured } from './otel-setup';

if (tracingConfigured()) setUpTracing();
