// A browser form's body as S3 reads it for POST Object: multipart/form-data (RFC 7578 over RFC 2046 §5.1),
// read as it arrives. The fields before the part named `file` are kept (at most 20 KB of them, S3's limit);
// the file's content is handed on as a stream, so it can go to disk without being held in memory; whatever
// follows the file is read only to find the end of the body (and a second file, which S3 refuses), never
// kept, as S3 ignores it.
import { S3Error, invalidArgument, malformedPostRequest } from './errors';

/** S3's limit on the form data and boundaries before the file's content. */
export const MAX_PRE_FILE_BYTES = 20 * 1024;
/** The headers of a part after the file (never kept): more than this is not a form. */
const MAX_PART_HEADER_BYTES = 16 * 1024;

export interface FormField {
  /** As sent. */
  name: string;
  value: string;
}

export interface FilePart {
  /** The `filename` parameter as sent; undefined when the part has none. */
  filename?: string;
  /** The file's content, to be read once, before finish(). */
  content: AsyncIterable<Buffer>;
}

export interface PostForm {
  /** The fields before the file, in order. */
  fields: FormField[];
  /** Undefined when the body ended without a part named `file`. */
  file?: FilePart;
  /**
   * Reads the rest of the body (after the file's content has been read): the parts after the file are
   * ignored, as S3 ignores them, but a second file, or a body that does not end as a form ends, is refused.
   */
  finish: () => Promise<void>;
}

const tooMuchBeforeFile = () =>
  // S3's code and (misspelt) message, as it sends them.
  new S3Error(
    'MaxPostPreDataLengthExceeded',
    400,
    'Your POST request fields preceeding the upload file was too large.',
    {
      MaxPostPreDataLengthBytes: String(MAX_PRE_FILE_BYTES),
    },
  );

export const notOneFile = (count: number) =>
  invalidArgument('POST requires exactly one file upload per request.', 'file', String(count));

/**
 * The boundary of a `multipart/form-data` Content-Type: `{ boundary: undefined }` for a form without a usable
 * one, undefined when the body is not a form at all.
 */
export function formBoundary(contentType: string | undefined): { boundary?: string } | undefined {
  const [type = '', ...parameters] = splitParameters(contentType ?? '');
  if (type.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  const boundary = parameterValues(parameters).get('boundary');
  return { boundary: boundary && boundary.length <= 70 ? boundary : undefined };
}

/** Reads the form up to the file's content (or to the end of the body when there is no file). */
export async function readPostForm(body: AsyncIterable<Buffer>, boundary: string): Promise<PostForm> {
  const reader = new PartReader(body, boundary);
  const fields: FormField[] = [];
  const allowance = () => MAX_PRE_FILE_BYTES - reader.consumed;
  await reader.skipPreamble(allowance(), tooMuchBeforeFile);
  for (;;) {
    if (!(await reader.nextPart())) return { fields, finish: () => reader.drainEpilogue() };
    const part = parseDisposition(await reader.readHeaders(allowance(), tooMuchBeforeFile));
    if (part.isFile) {
      if (allowance() < 0) throw tooMuchBeforeFile();
      let read = false;
      return {
        fields,
        file: {
          filename: part.filename,
          content: (async function* () {
            read = true;
            yield* reader.content();
          })(),
        },
        finish: async () => {
          if (!read) await drain(reader.content());
          await finishAfterFile(reader);
        },
      };
    }
    const value = await reader.readValue(allowance(), tooMuchBeforeFile);
    fields.push({ name: part.name, value: value.toString('utf8') });
  }
}

/** The parts after the file: skipped, counting files, up to the close delimiter. */
async function finishAfterFile(reader: PartReader): Promise<void> {
  let files = 1;
  while (await reader.nextPart()) {
    if (parseDisposition(await reader.readHeaders(MAX_PART_HEADER_BYTES, malformedPostRequest)).isFile)
      files += 1;
    await drain(reader.content());
  }
  await reader.drainEpilogue();
  if (files > 1) throw notOneFile(files);
}

async function drain(content: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of content) void chunk;
}

interface Disposition {
  name: string;
  filename?: string;
  /** A `form-data` part named `file` (names are case-insensitive to S3): the upload. */
  isFile: boolean;
}

function parseDisposition(headers: Map<string, string>): Disposition {
  const [type = '', ...parameters] = splitParameters(headers.get('content-disposition') ?? '');
  const values = parameterValues(parameters);
  const name = values.get('name');
  if (name === undefined) throw malformedPostRequest();
  const formData = type.trim().toLowerCase() === 'form-data';
  return { name, filename: values.get('filename'), isFile: formData && name.toLowerCase() === 'file' };
}

/** `type; a=1; b="x;y"` split on the semicolons outside quotes. */
function splitParameters(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i += 1) {
    const char = header[i] ?? '';
    if (char === '"') quoted = !quoted;
    if (char === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Parameter names in lower case; quoted values unquoted. Browsers percent-encode `"`, CR and LF in names and
 * file names and send backslashes as they are (a Windows path), so no backslash escape is undone.
 */
function parameterValues(parameters: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const parameter of parameters) {
    const at = parameter.indexOf('=');
    if (at === -1) continue;
    const name = parameter.slice(0, at).trim().toLowerCase();
    const raw = parameter.slice(at + 1).trim();
    const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    if (!values.has(name)) values.set(name, value);
  }
  return values;
}

/**
 * The body, part by part. The buffer starts with a CRLF so that the first delimiter (`--boundary`, which a
 * body may begin with) reads like every other one (`CRLF--boundary`).
 */
class PartReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly delimiter: Buffer;
  private buffer: Buffer = Buffer.from('\r\n');
  private ended = false;
  /** Bytes of the body consumed so far (the CRLF the buffer starts with aside). */
  consumed = -2;

  constructor(body: AsyncIterable<Buffer>, boundary: string) {
    this.iterator = body[Symbol.asyncIterator]();
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  /** Skips whatever precedes the first delimiter (a preamble, which RFC 2046 says to ignore). */
  async skipPreamble(limit: number, tooLarge: () => S3Error): Promise<void> {
    const at = await this.find(this.delimiter, limit, tooLarge);
    this.take(at + this.delimiter.length);
  }

  /**
   * After a delimiter: true when a part follows (its delimiter line consumed), false at the close delimiter
   * (`--boundary--`). A body that ends before either is not a form.
   */
  async nextPart(): Promise<boolean> {
    await this.fillTo(2);
    if (this.buffer.subarray(0, 2).toString('latin1') === '--') {
      this.take(2);
      return false;
    }
    // Transport padding (spaces and tabs), then the CRLF ending the delimiter line.
    const end = await this.find(Buffer.from('\r\n'), 1024, malformedPostRequest);
    if (!/^[ \t]*$/.test(this.buffer.subarray(0, end).toString('latin1'))) throw malformedPostRequest();
    this.take(end + 2);
    return true;
  }

  /** The part's header fields, names in lower case. */
  async readHeaders(limit: number, tooLarge: () => S3Error): Promise<Map<string, string>> {
    const headers = new Map<string, string>();
    await this.fillTo(2);
    if (this.buffer.subarray(0, 2).toString('latin1') === '\r\n') {
      this.take(2);
      return headers;
    }
    const end = await this.find(Buffer.from('\r\n\r\n'), limit, tooLarge);
    const block = this.take(end + 4)
      .subarray(0, end)
      .toString('utf8');
    for (const line of block.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformedPostRequest();
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return headers;
  }

  /** A field's value: the bytes up to the next delimiter, which is consumed. */
  async readValue(limit: number, tooLarge: () => S3Error): Promise<Buffer> {
    const at = await this.find(this.delimiter, limit, tooLarge);
    const value = this.take(at);
    this.take(this.delimiter.length);
    return value;
  }

  /** The part's content as it arrives, up to the next delimiter (consumed at the end). */
  async *content(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(this.delimiter);
      if (at !== -1) {
        if (at > 0) yield this.take(at);
        this.take(this.delimiter.length);
        return;
      }
      // Everything but a tail that could be the start of the delimiter is content.
      const safe = this.buffer.length - (this.delimiter.length - 1);
      if (safe > 0) yield this.take(safe);
      if (!(await this.fill())) throw malformedPostRequest();
    }
  }

  /** The epilogue after the close delimiter: ignored, as RFC 2046 says. */
  async drainEpilogue(): Promise<void> {
    this.take(this.buffer.length);
    while (await this.fill()) this.take(this.buffer.length);
  }

  /** Where `needle` starts in the buffer, reading more as needed, within `limit` bytes from here. */
  private async find(needle: Buffer, limit: number, tooLarge: () => S3Error): Promise<number> {
    for (;;) {
      const at = this.buffer.indexOf(needle);
      if (at !== -1) {
        if (at > limit) throw tooLarge();
        return at;
      }
      if (this.buffer.length > limit + needle.length) throw tooLarge();
      if (!(await this.fill())) throw malformedPostRequest();
    }
  }

  private async fillTo(length: number): Promise<void> {
    while (this.buffer.length < length) if (!(await this.fill())) throw malformedPostRequest();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.length === 0 ? next.value : Buffer.concat([this.buffer, next.value]);
    return true;
  }

  private take(length: number): Buffer {
    const taken = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    this.consumed += taken.length;
    return taken;
  }
}
