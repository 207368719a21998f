// S3's errors as S3 sends them: an HTTP status and an XML document `<Error><Code>...</Code><Message>...
// </Message>...</Error>` with extra elements per code (Key, BucketName, StringToSign, ...). The AWS SDK names the
// exception it throws after <Code>, so each error here surfaces in client code exactly as it would on AWS.
import type { SigV4Failure } from '../../protocol/sigv4';
import { MALFORMED_URL_MESSAGE } from '../../http/request-path';

export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    /** Elements after <Message>, in order. */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });

export const bucketAlreadyOwnedByYou = (bucket: string) =>
  new S3Error(
    'BucketAlreadyOwnedByYou',
    409,
    'Your previous request to create the named bucket succeeded and you already own it.',
    { BucketName: bucket },
  );

export const bucketNotEmpty = (bucket: string) =>
  new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket });

export const invalidBucketName = (bucket: string) =>
  new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket });

export const accessDenied = () => new S3Error('AccessDenied', 403, 'Access Denied');

export const methodNotAllowed = (method: string, resourceType: 'BUCKET' | 'OBJECT') =>
  new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
    Method: method,
    ResourceType: resourceType,
  });

export const notImplemented = (operation: string) =>
  new S3Error(
    'NotImplemented',
    501,
    `${operation} is not implemented by local-cloud's S3. Use one of the operations its README lists.`,
  );

export const malformedXml = () =>
  new S3Error(
    'MalformedXML',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const invalidArgument = (message: string, name: string, value: string) =>
  new S3Error('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value });

export const invalidRequest = (message: string) => new S3Error('InvalidRequest', 400, message);

export const entityTooLarge = (size: number, max: number) =>
  new S3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
    ProposedSize: String(size),
    MaxSizeAllowed: String(max),
  });

export const entityTooSmall = (size: number, min: number) =>
  new S3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', {
    ProposedSize: String(size),
    MinSizeAllowed: String(min),
  });

/** A browser form (POST Object) whose body cannot be read as multipart/form-data. */
export const malformedPostRequest = () =>
  new S3Error(
    'MalformedPOSTRequest',
    400,
    'The body of your POST request is not well-formed multipart/form-data.',
  );

/** A form field POST Object needs, absent (or sent after the file, where S3 no longer reads). */
export const missingPostField = (name: string) =>
  invalidArgument(
    `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    name,
    '',
  );

/** A POST policy S3 refuses to read: `Invalid Policy: ...`. */
export const invalidPolicyDocument = (reason: string) =>
  new S3Error('InvalidPolicyDocument', 400, `Invalid Policy: ${reason}`);

/** A POST policy the form does not satisfy: `Invalid according to Policy: ...`. */
export const postPolicyDenied = (reason: string) =>
  new S3Error('AccessDenied', 403, `Invalid according to Policy: ${reason}`);

/** A bucket policy PutBucketPolicy refuses. */
export const malformedPolicy = (message: string) => new S3Error('MalformedPolicy', 400, message);

/**
 * A request signed with Signature Version 2 (`Authorization: AWS AKID:sig`, or a presigned URL with
 * `AWSAccessKeyId` and `Signature`, as the SDK v2 makes them by default in older Regions): S3 accepts it only in
 * Regions from before 2014 and for old buckets; local-cloud checks SigV4 alone.
 */
export const signatureV2NotSupported = () =>
  new S3Error(
    'InvalidRequest',
    400,
    'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  );

/** A path whose percent-encoding is malformed: S3 cannot tell which bucket and key it names. */
export const invalidUri = () => new S3Error('InvalidURI', 400, MALFORMED_URL_MESSAGE);

/** How S3 answers each way a signature can fail. */
export function signatureError(failure: SigV4Failure): S3Error {
  const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  switch (failure.code) {
    case 'MissingAuthentication':
      return accessDenied();
    case 'Malformed':
      return failure.location === 'header'
        ? new S3Error(
            'AuthorizationHeaderMalformed',
            400,
            `The authorization header is malformed; ${failure.message}`,
          )
        : new S3Error('AuthorizationQueryParametersError', 400, failure.message);
    case 'UnknownAccessKey':
      return new S3Error(
        'InvalidAccessKeyId',
        403,
        'The AWS Access Key Id you provided does not exist in our records.',
        {
          AWSAccessKeyId: failure.accessKeyId,
        },
      );
    case 'WrongRegion':
      return failure.location === 'header'
        ? new S3Error(
            'AuthorizationHeaderMalformed',
            400,
            `The authorization header is malformed; the region '${failure.region}' is wrong; expecting '${failure.expected}'`,
            { Region: failure.expected },
          )
        : new S3Error(
            'AuthorizationQueryParametersError',
            400,
            `Error parsing the X-Amz-Credential parameter; the region '${failure.region}' is wrong; expecting '${failure.expected}'`,
            { Region: failure.expected },
          );
    case 'WrongService':
      return failure.location === 'header'
        ? new S3Error(
            'AuthorizationHeaderMalformed',
            400,
            `The authorization header is malformed; incorrect service "${failure.service}". This endpoint belongs to "${failure.expected}".`,
          )
        : new S3Error(
            'AuthorizationQueryParametersError',
            400,
            `Error parsing the X-Amz-Credential parameter; incorrect service "${failure.service}". This endpoint belongs to "${failure.expected}".`,
          );
    case 'MissingContentSha256':
      return invalidRequest('Missing required header for this request: x-amz-content-sha256');
    case 'ContentSha256Mismatch':
      return new S3Error(
        'XAmzContentSHA256Mismatch',
        400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        { ClientComputedContentSHA256: failure.claimed, S3ComputedContentSHA256: failure.computed },
      );
    case 'RequestTimeTooSkewed':
      return new S3Error(
        'RequestTimeTooSkewed',
        403,
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: failure.requestTime,
          ServerTime: iso(failure.serverTime),
          MaxAllowedSkewMilliseconds: String(failure.maxSkewMs),
        },
      );
    case 'ExpiresTooLarge':
      return new S3Error(
        'AuthorizationQueryParametersError',
        400,
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      );
    case 'NotYetValid':
      return new S3Error('AccessDenied', 403, 'Request is not yet valid', {
        'X-Amz-Date': failure.amzDate,
        Expires: iso(failure.expiresAt),
        ServerTime: iso(failure.serverTime),
      });
    case 'Expired':
      return new S3Error('AccessDenied', 403, 'Request has expired', {
        'X-Amz-Expires': String(failure.expiresSeconds),
        Expires: iso(failure.expiresAt),
        ServerTime: iso(failure.serverTime),
      });
    case 'HeadersNotSigned':
      return new S3Error(
        'AccessDenied',
        403,
        'There were headers present in the request which were not signed',
        {
          HeadersNotSigned: failure.headers.join(', '),
        },
      );
    case 'SignatureMismatch':
      return new S3Error(
        'SignatureDoesNotMatch',
        403,
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        {
          AWSAccessKeyId: failure.accessKeyId,
          StringToSign: failure.stringToSign,
          SignatureProvided: failure.providedSignature,
          StringToSignBytes: bytes(failure.stringToSign),
          CanonicalRequest: failure.canonicalRequest,
          CanonicalRequestBytes: bytes(failure.canonicalRequest),
        },
      );
  }
}

function bytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}
