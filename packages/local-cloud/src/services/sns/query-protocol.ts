// SNS speaks the AWS Query protocol: a form-encoded POST naming the `Action`, answered with XML in the
// `http://sns.amazonaws.com/doc/2010-03-31/` namespace, errors as `<ErrorResponse>` with the code the SDK maps
// to an exception class (`NotFound` becomes NotFoundException, `InvalidParameter` InvalidParameterException).
import type { AwsErrorBody } from '../../protocol/aws-errors';
import { queryProtocolCode } from '../../protocol/signature-errors';
import { escapeXml } from '../../protocol/xml';

export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

export class SnsError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    /** `Sender` for the caller's mistakes, `Receiver` for the service's. */
    readonly type: 'Sender' | 'Receiver' = statusCode >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (message = 'Topic does not exist') => new SnsError('NotFound', 404, message);
export const invalidParameter = (message: string) => new SnsError('InvalidParameter', 400, message);

/** SigV4 failures as the Query services name them (queryProtocolCode). */
export function fromSignatureError(error: AwsErrorBody): SnsError {
  return new SnsError(queryProtocolCode(error.code), error.status, error.message);
}

/** The request's parameters; the Query protocol sends each once. */
export type QueryParameters = Map<string, string>;

export function parseQueryBody(body: string): QueryParameters {
  return new Map(new URLSearchParams(body));
}

/**
 * A map the Query protocol sends as numbered entries: `Attributes.entry.1.key` / `.value`, or
 * `MessageAttributes.entry.1.Name` / `.Value.DataType` ... (keyField `Name`, value fields under `Value.`).
 */
export function readEntries(
  parameters: QueryParameters,
  prefix: string,
  keyField: string,
): { key: string; fields: Map<string, string> }[] {
  const entries = new Map<number, { key?: string; fields: Map<string, string> }>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.entry\\.(\\d+)\\.(.+)$`);
  for (const [name, value] of parameters) {
    const match = pattern.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const entry = entries.get(index) ?? { fields: new Map<string, string>() };
    entries.set(index, entry);
    if (match[2] === keyField) entry.key = value;
    else entry.fields.set(match[2] ?? '', value);
  }
  return [...entries.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([, entry]) => (entry.key === undefined ? [] : [{ key: entry.key, fields: entry.fields }]));
}

/**
 * An XML element tree: a string is text, an array repeats `member` elements, a Map is a Query map (repeated
 * `entry` elements with `key` and `value`), an object nests elements.
 */
export type XmlValue = string | XmlValue[] | Map<string, string> | { [name: string]: XmlValue | undefined };

export function renderResponse(action: string, result: XmlValue | undefined, requestId: string): string {
  const resultXml = result === undefined ? '' : element(`${action}Result`, result);
  return (
    `<${action}Response xmlns="${SNS_XML_NAMESPACE}">${resultXml}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function renderError(error: SnsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${SNS_XML_NAMESPACE}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function element(name: string, value: XmlValue): string {
  return `<${name}>${content(value)}</${name}>`;
}

function content(value: XmlValue): string {
  if (typeof value === 'string') return escapeXml(value);
  if (Array.isArray(value)) return value.map((item) => element('member', item)).join('');
  if (value instanceof Map) {
    return [...value].map(([key, item]) => element('entry', { key, value: item })).join('');
  }
  return Object.entries(value)
    .filter((entry): entry is [string, XmlValue] => entry[1] !== undefined)
    .map(([name, child]) => element(name, child))
    .join('');
}
