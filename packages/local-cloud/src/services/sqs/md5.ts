// The digests SQS returns with every message, which the SDKs check (SDK v3 compares MD5OfMessageBody after
// SendMessage, SendMessageBatch and ReceiveMessage): MD5 of the body's UTF-8 bytes, and of the message
// attributes encoded as the SQS developer guide describes ("Calculating the MD5 message digest for message
// attributes"): for each attribute, sorted by name, the name, the data type, one transport byte (1 string or
// number, 2 binary) and the value, each length-prefixed with 4 big-endian bytes.
import { createHash } from 'node:crypto';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64, as both wire protocols carry it. */
  BinaryValue?: string;
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name]!;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    const binary = attribute.DataType.startsWith('Binary');
    hash.update(Buffer.from([binary ? 2 : 1]));
    lengthPrefixed(
      binary
        ? Buffer.from(attribute.BinaryValue ?? '', 'base64')
        : Buffer.from(attribute.StringValue ?? '', 'utf8'),
    );
  }
  return hash.digest('hex');
}
