// Presigned URLs for the files bucket: a PUT to upload one file, a GET to download one as an attachment.
// Each is signed for its method, bucket and key, and is valid for 15 minutes.
const path = require('node:path');
const {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
} = require('@aws-sdk/client-s3');
const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');

const s3 = new S3Client({});
const Bucket = process.env.FILES_BUCKET;
const EXPIRES_IN = 15 * 60;
const SAFE_NAME = /^[\w][\w .-]{0,127}$/;

const json = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

exports.upload = async (event) => {
  let request;
  try {
    request = JSON.parse(event.body ?? '');
  } catch {
    return json(400, { message: 'Send JSON: {"name": "report.pdf", "contentType": "application/pdf"}.' });
  }
  const { name, contentType } = request ?? {};
  if (typeof name !== 'string' || !SAFE_NAME.test(name)) {
    return json(400, {
      message: 'The name is 1 to 128 letters, digits, spaces, dots, dashes or underscores.',
    });
  }
  if (typeof contentType !== 'string' || !contentType.includes('/')) {
    return json(400, { message: 'Give the contentType of the file, such as text/plain.' });
  }
  const key = `incoming/${new Date().toISOString().slice(0, 10)}/${name}`;
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key: key, ContentType: contentType }), {
    expiresIn: EXPIRES_IN,
  });
  // The browser sends the file with this content type, which S3 keeps and serves it with.
  return json(201, {
    key,
    url,
    method: 'PUT',
    headers: { 'content-type': contentType },
    expiresIn: EXPIRES_IN,
  });
};

exports.download = async (event) => {
  // A REST API passes path parameters as the client encoded them.
  const key = decodeURIComponent(event.pathParameters.key);
  try {
    await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
  } catch (error) {
    if (error instanceof NotFound) return json(404, { message: `There is no file ${key}.` });
    throw error;
  }
  const command = new GetObjectCommand({
    Bucket,
    Key: key,
    ResponseContentDisposition: `attachment; filename="${path.posix.basename(key)}"`,
  });
  const url = await getSignedUrl(s3, command, { expiresIn: EXPIRES_IN });
  return json(200, { key, url, expiresIn: EXPIRES_IN });
};
