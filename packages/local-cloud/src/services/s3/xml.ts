// S3 speaks XML. Documents are written by hand (small, fixed shapes, element order as S3 sends it) and read
// with fast-xml-parser (request bodies: CreateBucketConfiguration, Delete, CORSConfiguration).
import { XMLParser } from 'fast-xml-parser';
import { malformedXml } from './errors';
import { escapeXml } from '../../protocol/xml';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An element tree: a value, a list of children (repeated elements), or nested elements. */
export type XmlValue = string | number | boolean | undefined | XmlNode | XmlNode[];
export type XmlNode = { [element: string]: XmlValue | XmlValue[] };

/** `<Root xmlns="...">children</Root>` with the XML declaration. */
export function xmlDocument(
  root: string,
  children: XmlNode,
  /** null: no namespace, as S3's error documents have none (botocore cannot read one that has). */
  namespace: string | null = S3_NAMESPACE,
): string {
  const attribute = namespace ? ` xmlns="${namespace}"` : '';
  return `${DECLARATION}<${root}${attribute}>${renderChildren(children)}</${root}>`;
}

function renderChildren(node: XmlNode): string {
  return Object.entries(node)
    .map(([name, value]) => renderElement(name, value))
    .join('');
}

function renderElement(name: string, value: XmlValue | XmlValue[]): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => renderElement(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${renderChildren(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) =>
    [
      'Object',
      'Part',
      'CORSRule',
      'AllowedOrigin',
      'AllowedMethod',
      'AllowedHeader',
      'ExposeHeader',
    ].includes(name),
});

/** Parses a request body; anything that is not well-formed XML is S3's MalformedXML. */
export function parseXml(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (!text.startsWith('<')) throw malformedXml();
  try {
    return parser.parse(text, true) as Record<string, unknown>;
  } catch {
    throw malformedXml();
  }
}
