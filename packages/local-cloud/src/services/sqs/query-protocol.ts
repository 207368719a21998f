// SQS's older wire protocol, the Query protocol (form-encoded `Action=SendMessage&...`, XML answers), which AWS
// CLI v2 before 2.13 and the SDK v2 speak. Requests are turned into the JSON protocol's input shapes and answers
// rendered from its output shapes, so one implementation serves both: `Attribute.1.Name`/`.Value` is the
// `Attributes` map, `MessageAttribute.1.Value.StringValue` the `MessageAttributes` map, `AttributeName.1` the
// `AttributeNames` list, `SendMessageBatchRequestEntry.1.Id` the `Entries` list; lists in answers are flattened
// (`<Message>` repeated, `<Attribute><Name/><Value/></Attribute>` for a map).
import { escapeXml } from '../../protocol/xml';
import { SQS_XML_NAMESPACE } from './sqs-errors';

type Nested = { [key: string]: Nested | string };

/** The input of `Action`, shaped as the JSON protocol sends it (numbers stay text). */
export function queryInput(parameters: URLSearchParams): Record<string, unknown> {
  const root: Nested = {};
  for (const [name, value] of parameters) {
    if (name === 'Action' || name === 'Version') continue;
    const path = name.split('.');
    let node = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      node = typeof next === 'object' ? next : (node[segment] = {});
    });
  }
  return reshape(root) as Record<string, unknown>;
}

/** The flattened list names and maps of the Query protocol, as the JSON protocol names them. */
function reshape(node: Nested | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => reshape(node[key]!));
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const shaped = reshape(value);
    const list = Array.isArray(shaped) ? (shaped as unknown[]) : [shaped];
    const entries = (keyField: string) =>
      Object.fromEntries(
        list.map((entry) => {
          const record = (entry ?? {}) as Record<string, unknown>;
          return [String(record[keyField]), record.Value];
        }),
      );
    if (key === 'Attribute' || key === 'MessageAttribute' || key === 'MessageSystemAttribute') {
      result[`${key}s`] = entries('Name');
    } else if (key === 'Tag') {
      result.Tags = entries('Key');
    } else if (
      ['AttributeName', 'MessageAttributeName', 'MessageSystemAttributeName', 'TagKey'].includes(key)
    ) {
      result[`${key}s`] = list;
    } else if (key.endsWith('RequestEntry')) {
      result.Entries = list;
    } else {
      result[key] = shaped;
    }
  }
  return result;
}

/** The XML answer of `action`, from its JSON-protocol output. */
export function queryResponse(action: string, output: Record<string, unknown>, requestId: string): string {
  const result = Object.entries(output)
    .map(([name, value]) => element(action, name, value))
    .join('');
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${SQS_XML_NAMESPACE}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function element(action: string, name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const itemName =
      {
        QueueUrls: 'QueueUrl',
        Messages: 'Message',
        Successful: `${action}ResultEntry`,
        Failed: 'BatchResultErrorEntry',
        queueUrls: 'QueueUrl',
      }[name] ?? name;
    return value.map((item) => element(action, itemName, item)).join('');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (name === 'Attributes' || name === 'MessageAttributes' || name === 'Tags') {
      const itemName = { Attributes: 'Attribute', MessageAttributes: 'MessageAttribute', Tags: 'Tag' }[name];
      const keyName = name === 'Tags' ? 'Key' : 'Name';
      return Object.entries(record)
        .map(
          ([key, item]) =>
            `<${itemName}><${keyName}>${escapeXml(key)}</${keyName}>${element(action, 'Value', item)}</${itemName}>`,
        )
        .join('');
    }
    const inner = Object.entries(record)
      .map(([child, item]) => element(action, child, item))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(typeof value === 'string' ? value : JSON.stringify(value))}</${name}>`;
}
