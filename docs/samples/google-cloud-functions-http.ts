// The same tiny HTTP function on Google Cloud Functions (Cloud Run functions) with the Functions Framework,
// shown in the docs' three-clouds chapter. Compiled by `npm run typecheck` against the framework's types.
import * as functions from '@google-cloud/functions-framework';

// #region http
functions.http('hello', (request, response) => {
  const name = typeof request.query.name === 'string' ? request.query.name : 'world';
  response.status(200).json({ message: `Hello, ${name}!` });
});
// #endregion

// #region storage
interface StorageObjectData {
  bucket: string;
  name: string;
  size: string;
}

functions.cloudEvent('onUpload', (event: functions.CloudEvent<StorageObjectData>) => {
  console.log(`new object ${event.data?.bucket}/${event.data?.name} (${event.data?.size} bytes)`);
});
// #endregion
