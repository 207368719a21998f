// SigV4 failures (sigv4.ts returns them as data) in the words of the JSON-protocol services (Lambda, DynamoDB,
// Secrets Manager, SSM): the exception types and messages those services send, so the SDK throws the same
// exception it would on AWS. The Query services (SNS) rename the types (see sns/query-protocol.ts); S3 words
// them its own way (see s3/errors.ts).
import type { AwsErrorBody } from './aws-errors';
import {
  SigV4Error,
  formatAmzDate,
  parseAmzDate,
  verifySigV4,
  type SigV4Failure,
  type SigV4VerifierOptions,
  type SignedRequest,
} from './sigv4';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export function jsonSignatureError(failure: SigV4Failure): AwsErrorBody {
  const invalid = (message = MISMATCH): AwsErrorBody => ({
    code: 'InvalidSignatureException',
    status: 403,
    message,
  });
  switch (failure.code) {
    case 'MissingAuthentication':
      return {
        code: 'MissingAuthenticationTokenException',
        status: 403,
        message: 'Missing Authentication Token',
      };
    case 'Malformed':
    case 'MissingContentSha256':
      return {
        code: 'IncompleteSignatureException',
        status: 403,
        message:
          failure.code === 'Malformed' ? failure.message : 'Missing required header: x-amz-content-sha256.',
      };
    case 'UnknownAccessKey':
      return {
        code: 'UnrecognizedClientException',
        status: 403,
        message: 'The security token included in the request is invalid.',
      };
    case 'WrongService':
      return invalid(`Credential should be scoped to correct service: '${failure.expected}'. `);
    case 'WrongRegion':
      return invalid(`Credential should be scoped to a valid region, not '${failure.region}'. `);
    case 'RequestTimeTooSkewed':
      return invalid(skewMessage(failure.requestTime, failure.serverTime, failure.maxSkewMs));
    case 'Expired':
      return invalid(
        `Signature expired: the presigned request expired at ${formatAmzDate(failure.expiresAt)}.`,
      );
    case 'NotYetValid':
      return invalid(`Signature not yet current: ${failure.amzDate} is later than the server's time.`);
    case 'ExpiresTooLarge':
      return invalid('X-Amz-Expires must be less than a week (in seconds), that is, 604800.');
    case 'ContentSha256Mismatch':
    case 'HeadersNotSigned':
    case 'SignatureMismatch':
      return invalid();
  }
}

/** `Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)`. */
function skewMessage(requestTime: string, serverTime: Date, maxSkewMs: number): string {
  const minutes = Math.round(maxSkewMs / 60_000);
  const request = parseAmzDate(requestTime);
  const server = formatAmzDate(serverTime);
  if (request && request.getTime() < serverTime.getTime()) {
    const limit = formatAmzDate(new Date(serverTime.getTime() - maxSkewMs));
    return `Signature expired: ${requestTime} is now earlier than ${limit} (${server} - ${minutes} min.)`;
  }
  const limit = formatAmzDate(new Date(serverTime.getTime() + maxSkewMs));
  return `Signature not yet current: ${requestTime} is still later than ${limit} (${server} + ${minutes} min.)`;
}

/** A check for one JSON-protocol service: resolves with undefined when the signature holds, else the error. */
export function createSignatureCheck(
  options: SigV4VerifierOptions,
): (request: SignedRequest) => Promise<AwsErrorBody | undefined> {
  return async (request) => {
    try {
      await verifySigV4(request, options);
      return undefined;
    } catch (error) {
      if (error instanceof SigV4Error) return jsonSignatureError(error.failure);
      throw error;
    }
  };
}

/**
 * A signature failure's code as the Query-protocol services (SNS, SQS's query side) name it: the JSON services'
 * UnrecognizedClientException is InvalidClientTokenId there, InvalidSignatureException is SignatureDoesNotMatch.
 */
export function queryProtocolCode(jsonCode: string): string {
  return (
    {
      UnrecognizedClientException: 'InvalidClientTokenId',
      InvalidSignatureException: 'SignatureDoesNotMatch',
      IncompleteSignatureException: 'IncompleteSignature',
      MissingAuthenticationTokenException: 'MissingAuthenticationToken',
    }[jsonCode] ?? jsonCode
  );
}
