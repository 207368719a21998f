// The shell commands a Markdown file tells its reader to run: every fenced block tagged sh, bash or shell,
// as bash would see it (continuation lines joined, comments dropped), each with the line the reader sees it on.

export interface DocumentedCommand {
  /** 1-based line of the command's first line in the Markdown file. */
  line: number;
  /** What bash runs: backslash-continued lines joined, comments removed. */
  text: string;
  /**
   * The HTTP status the lesson shows for this command's curl, read from the output it documents: a comment
   * such as `# HTTP/1.1 400 Bad Request`, `# 401 {"message":...}` or `curl -i ...   # 404 with a message`.
   */
  expectedStatus?: number;
}

export interface ShellBlock {
  /** Line of the opening fence. */
  line: number;
  commands: DocumentedCommand[];
  /**
   * Why the block cannot run here, when `<!-- walkthrough: skip — <reason> -->` comes before it, with nothing but
   * blank lines between (Prettier puts one there).
   */
  skip?: string;
}

export interface Extraction {
  blocks: ShellBlock[];
  /** Malformed marks, as `line: problem`; a mark is only useful if it is unambiguous. */
  problems: { line: number; problem: string }[];
}

const SHELL_TAGS = new Set(['sh', 'bash', 'shell']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const MARK = /^<!--\s*walkthrough:(.*?)-->$/;
const SKIP = /^\s*skip\b\s*(?:[—–:-]\s*)?(.*)$/;
const NO_BLOCK = 'no sh, bash or shell block follows the mark';
/** An HTTP status leading an output comment, with or without the status line's protocol. */
const STATUS = /^(?:HTTP\/[\d.]+\s+)?([1-5]\d\d)(?:\s|$|:)/;

export function extractCommands(markdown: string): Extraction {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  const problems: Extraction['problems'] = [];
  // A mark waiting for its block: if the next line that is not blank is not a shell block's fence, it is
  // misplaced, since its author meant it for a block.
  let pendingMark: { line: number; skip: string } | undefined;
  const misplaced = (problem: string): void => {
    if (pendingMark) problems.push({ line: pendingMark.line, problem });
    pendingMark = undefined;
  };

  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!;
    const trimmed = text.trim();
    const fence = FENCE.exec(text);
    if (fence) {
      const [indent, marker, tag] = [fence[1]!, fence[2]!, fence[3]!];
      const end = closingFence(lines, index + 1, marker);
      if (SHELL_TAGS.has(tag.toLowerCase())) {
        const body = lines.slice(index + 1, end).map((line) => dedent(line, indent.length));
        blocks.push({
          line: index + 1,
          commands: parseCommands(body, index + 2),
          ...(pendingMark && { skip: pendingMark.skip }),
        });
        pendingMark = undefined;
      } else {
        misplaced(`the mark is for a \`${tag || 'plain'}\` block, which never runs`);
      }
      index = end;
      continue;
    }
    if (trimmed === '') continue;
    misplaced(NO_BLOCK);
    const mark = MARK.exec(trimmed);
    if (!mark) continue;
    const skip = SKIP.exec(mark[1]!);
    if (!skip) {
      problems.push({
        line: index + 1,
        problem: `unknown mark "${mark[1]!.trim()}"; the one mark is: walkthrough: skip — <reason>`,
      });
    } else if (skip[1]!.trim() === '') {
      problems.push({
        line: index + 1,
        problem: 'the skip mark gives no reason; write why the block cannot run here after "skip —"',
      });
    } else {
      pendingMark = { line: index + 1, skip: skip[1]!.trim() };
    }
  }
  misplaced(NO_BLOCK);
  return { blocks, problems };
}

/** Index of the closing fence (or of the end of the file, as CommonMark closes an unclosed block there). */
function closingFence(lines: string[], from: number, marker: string): number {
  for (let index = from; index < lines.length; index++) {
    const trimmed = lines[index]!.trim();
    if (trimmed.startsWith(marker) && new RegExp(`^\\${marker[0]}+$`).test(trimmed)) return index;
  }
  return lines.length;
}

/** A block inside a list item is indented with it; its lines lose that indentation, as Markdown shows them. */
function dedent(line: string, width: number): string {
  const leading = line.length - line.trimStart().length;
  return line.slice(Math.min(leading, width));
}

function parseCommands(body: string[], firstLine: number): DocumentedCommand[] {
  const commands: DocumentedCommand[] = [];
  // The command whose output the comments below it document, until a blank line or the next command.
  let documented: DocumentedCommand | undefined;
  let lastCurl: DocumentedCommand | undefined;

  for (let index = 0; index < body.length; index++) {
    const line = firstLine + index;
    const raw = body[index]!;
    if (raw.trim() === '') {
      documented = undefined;
      continue;
    }
    if (raw.trim().startsWith('#')) {
      if (documented) noteStatus(lastCurl, raw.trim().slice(1).trim());
      continue;
    }
    let { code, comment } = splitComment(raw);
    // A backslash at the end of the code continues the command on the next line.
    while (/\\$/.test(code.trimEnd()) && index + 1 < body.length) {
      index++;
      const next = splitComment(body[index]!);
      code = `${code.trimEnd().slice(0, -1).trimEnd()} ${next.code.trim()}`;
      comment = next.comment;
    }
    const command: DocumentedCommand = { line, text: code.trim() };
    commands.push(command);
    documented = command;
    if (/\bcurl\b/.test(command.text)) lastCurl = command;
    if (comment !== undefined) noteStatus(lastCurl, comment);
  }
  return commands;
}

/** The first status documented after a curl is the one it answers; later comments describe the body. */
function noteStatus(command: DocumentedCommand | undefined, comment: string): void {
  if (!command || command.expectedStatus !== undefined) return;
  const status = STATUS.exec(comment);
  if (status) command.expectedStatus = Number(status[1]);
}

/**
 * Splits `code   # comment` where bash would: a `#` that starts a word outside quotes. A `#` inside a word
 * (a URL's fragment) or inside quotes is code.
 */
export function splitComment(line: string): { code: string; comment?: string } {
  let quote: '"' | "'" | undefined;
  // After unquoted whitespace that no backslash escapes, a word begins.
  let wordStart = true;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === '\\' && quote === '"') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '#' && wordStart) {
      return { code: line.slice(0, index).trimEnd(), comment: line.slice(index + 1).trim() };
    }
    wordStart = /\s/.test(char);
    if (char === '\\') index++;
    else if (char === '"' || char === "'") quote = char;
  }
  return { code: line };
}
