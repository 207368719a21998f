import ts from 'typescript';

/**
 * A text a test demands of the student's code: a message, a status text, an attribute, a field's value. The
 * lesson has to state it, or a student who words it differently fails without knowing why.
 */
export interface ExpectedText {
  /** 1-based line of the test file. */
  line: number;
  /** The expectation as the test writes it, for the report. */
  shown: string;
  /** The texts to find in the lesson: one for a string, a regular expression's literal runs. */
  pieces: string[];
  /** A regular expression with alternatives: one piece found is enough. */
  anyPiece: boolean;
  caseInsensitive: boolean;
  /** The describe/it titles around the expectation, outermost first: which task's tests it belongs to. */
  titles: string[];
}

export interface TestFileTexts {
  expected: ExpectedText[];
  /**
   * Every other text of the file (inputs, fixtures, helpers' arguments), whitespace-normalised: what the test
   * supplies itself needs no telling.
   */
  supplied: string[];
}

/** Jest's, jest-dom's and aws-sdk-client-mock-jest's matchers, with the index of their first expected argument. */
const MATCHERS: Record<string, number> = {
  toBe: 0,
  toEqual: 0,
  toStrictEqual: 0,
  toMatch: 0,
  toMatchObject: 0,
  toContain: 0,
  toContainEqual: 0,
  toThrow: 0,
  toThrowError: 0,
  toHaveProperty: 0,
  toHaveBeenCalledWith: 0,
  toHaveBeenLastCalledWith: 0,
  toHaveBeenNthCalledWith: 1,
  toHaveReturnedWith: 0,
  toHaveLastReturnedWith: 0,
  toHaveNthReturnedWith: 1,
  toHaveTextContent: 0,
  toHaveValue: 0,
  toHaveDisplayValue: 0,
  toHaveAccessibleName: 0,
  toHaveAccessibleDescription: 0,
  toHaveAccessibleErrorMessage: 0,
  toHaveErrorMessage: 0,
  toHaveReceivedCommandWith: 1,
  toHaveReceivedLastCommandWith: 1,
  toHaveReceivedNthCommandWith: 2,
};

/** Testing Library queries: what they look for is text the page must show. queryBy* asserts absence, mostly. */
const QUERY =
  /^(get|getAll|find|findAll)By(Text|LabelText|PlaceholderText|DisplayValue|Title|AltText|TestId|Role)$/;

/**
 * Roles HTML elements have by themselves: a test that finds a button by role asks for a <button>, which the
 * lesson names in its own words. Other roles (alert, status, dialog) are attributes the student must write.
 */
const IMPLICIT_ROLES = new Set([
  'article',
  'banner',
  'button',
  'cell',
  'checkbox',
  'columnheader',
  'combobox',
  'contentinfo',
  'form',
  'group',
  'heading',
  'img',
  'link',
  'list',
  'listbox',
  'listitem',
  'main',
  'navigation',
  'option',
  'paragraph',
  'radio',
  'region',
  'row',
  'rowheader',
  'searchbox',
  'separator',
  'spinbutton',
  'table',
  'textbox',
]);

const BLOCKS = new Set(['describe', 'it', 'test']);

/** Whitespace runs become one space, so a message may wrap differently in the lesson than in the test. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Reads one test file (TypeScript, TSX or JavaScript) and sorts its texts into expected and supplied. */
export function expectedTexts(fileName: string, text: string): TestFileTexts {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const constants = constantInitialisers(source);
  const expected: ExpectedText[] = [];
  const claimed = new Set<ts.Node>();
  const supplied: string[] = [];

  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const demand: Demand = (node, titles, wrap) => {
    for (const literal of literalsIn(node, constants, claimed)) {
      claimed.add(literal);
      const found = piecesOf(literal);
      if (!found || found.pieces.length === 0) continue;
      // A wrapped piece stands alone (a string, not a regex's runs), so its forms are alternatives.
      const forms = wrap && found.pieces.length === 1 ? wrap(found.pieces[0]!) : undefined;
      expected.push({
        line: lineOf(literal),
        shown: literal.getText(source),
        ...found,
        ...(forms && { pieces: forms, anyPiece: true }),
        titles,
      });
    }
  };

  const visit = (node: ts.Node, titles: string[]): void => {
    if (ts.isImportDeclaration(node) || isRequireCall(node)) return;
    if (ts.isCallExpression(node)) {
      const title = blockTitle(node);
      if (title !== undefined) {
        claimed.add(node.arguments[0]!);
        node.arguments.slice(1).forEach((argument) => visit(argument, [...titles, title]));
        return;
      }
      const matcher = expectation(node);
      if (matcher && !matcher.negated) {
        visit(matcher.actual, titles);
        demandMatcher(node, matcher.name, titles, demand);
        return;
      }
      const query = calleeName(node);
      if (QUERY.test(query)) demandQuery(node, query, titles, demand);
    }
    ts.forEachChild(node, (child) => visit(child, titles));
  };
  visit(source, []);

  // What is left was written by the test for its own use; so are constants it uses outside expectations.
  const collectSupplied = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || isRequireCall(node) || claimed.has(node)) return;
    const constant = ts.isIdentifier(node) && !isDeclarationName(node) ? constants.get(node.text) : undefined;
    const literals = constant
      ? literalsIn(constant, constants, new Set())
      : isTextLiteral(node)
        ? [node]
        : [];
    for (const literal of literals) {
      supplied.push(...(piecesOf(literal)?.pieces ?? []));
    }
    // Field names of the objects a test builds ({ items: [] }) and its JSX text are its own words too.
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) supplied.push(node.name.text);
    if (ts.isJsxText(node)) supplied.push(normaliseWhitespace(node.text));
    // A number the test passes (an expiry of 900 s) comes back as text in what it checks ("900").
    if (ts.isNumericLiteral(node)) supplied.push(node.text);
    ts.forEachChild(node, collectSupplied);
  };
  collectSupplied(source);
  return { expected, supplied };
}

/** `wrap` gives the forms a piece may take in the lesson; any one of them will do. */
type Demand = (node: ts.Node, titles: string[], wrap?: (text: string) => string[]) => void;

function calleeName(call: ts.CallExpression): string {
  if (ts.isIdentifier(call.expression)) return call.expression.text;
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
}

function isDeclarationName(node: ts.Identifier): boolean {
  return ts.isVariableDeclaration(node.parent) && node.parent.name === node;
}

function demandMatcher(call: ts.CallExpression, matcher: string, titles: string[], demand: Demand): void {
  if (matcher === 'toHaveAttribute') {
    const [name, value] = call.arguments;
    if (name && ts.isStringLiteralLike(name)) {
      // A value such as "false" means nothing alone: the lesson writes it as HTML (aria-invalid="false") or as
      // code (`/groups/new`).
      if (value) demand(value, titles, (text) => [`${name.text}="${text}"`, `\`${text}\``]);
      else demand(name, titles);
    }
    return;
  }
  const first = MATCHERS[matcher];
  if (first === undefined) return;
  call.arguments.slice(first).forEach((argument) => demand(argument, titles));
}

function demandQuery(call: ts.CallExpression, query: string, titles: string[], demand: Demand): void {
  const [what, options] = call.arguments;
  if (!what) return;
  if (!query.endsWith('ByRole')) {
    demand(what, titles);
    return;
  }
  if (ts.isStringLiteralLike(what) && !IMPLICIT_ROLES.has(what.text)) {
    demand(what, titles, (role) => [`role="${role}"`]);
  }
  const name =
    options && ts.isObjectLiteralExpression(options)
      ? options.properties.find(
          (property): property is ts.PropertyAssignment =>
            ts.isPropertyAssignment(property) && property.name.getText() === 'name',
        )
      : undefined;
  if (name) demand(name.initializer, titles);
}

/** `describe('title', ...)`, `it.each(...)('title', ...)` and the like: the title, when it is a literal. */
function blockTitle(call: ts.CallExpression): string | undefined {
  let callee: ts.Expression = call.expression;
  if (ts.isCallExpression(callee)) callee = callee.expression; // it.each(table)('title', fn)
  while (ts.isPropertyAccessExpression(callee)) callee = callee.expression; // it.only, describe.each
  const title = call.arguments[0];
  if (!ts.isIdentifier(callee) || !BLOCKS.has(callee.text) || !title) return undefined;
  return ts.isStringLiteralLike(title) ? title.text : undefined;
}

/** `expect(actual)[.not|.resolves|.rejects].matcher(...)`. */
function expectation(
  call: ts.CallExpression,
): { name: string; negated: boolean; actual: ts.Expression } | undefined {
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const name = call.expression.name.text;
  let target = call.expression.expression;
  let negated = false;
  while (ts.isPropertyAccessExpression(target)) {
    const modifier = target.name.text;
    if (modifier === 'not') negated = true;
    else if (modifier !== 'resolves' && modifier !== 'rejects') return undefined;
    target = target.expression;
  }
  if (!ts.isCallExpression(target) || !ts.isIdentifier(target.expression)) return undefined;
  if (target.expression.text !== 'expect') return undefined;
  return { name, negated, actual: target.arguments[0] ?? target };
}

/**
 * The string, template and regular expression literals an expected value is made of: inside objects, arrays,
 * `expect.stringContaining(...)` and friends, `JSON.stringify(...)`, and constants of the file it names (the
 * names it follows go into `claimed`, so they do not count as the test's own input there).
 */
function literalsIn(node: ts.Node, constants: Map<string, ts.Expression>, claimed: Set<ts.Node>): ts.Node[] {
  const inner = (child: ts.Node): ts.Node[] => literalsIn(child, constants, claimed);
  if (isTextLiteral(node)) return [node];
  if (ts.isIdentifier(node)) {
    const initialiser = constants.get(node.text);
    if (!initialiser || claimed.has(node)) return [];
    claimed.add(node);
    return inner(initialiser);
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
    return inner(node.expression);
  }
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) =>
      ts.isPropertyAssignment(property)
        ? inner(property.initializer)
        : ts.isShorthandPropertyAssignment(property)
          ? inner(property.name)
          : [],
    );
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(inner);
  if (ts.isCallExpression(node) && isWrapper(node.expression)) return node.arguments.flatMap(inner);
  return [];
}

/** expect.stringContaining, expect.stringMatching, expect.objectContaining, expect.arrayContaining, JSON.stringify. */
function isWrapper(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const [owner, method] = [callee.expression.text, callee.name.text];
  return (
    (owner === 'expect' && /^(string(Containing|Matching)|objectContaining|arrayContaining)$/.test(method)) ||
    (owner === 'JSON' && method === 'stringify')
  );
}

/** `const NAME = <expression>` anywhere in the file; a name declared twice is ambiguous and left out. */
function constantInitialisers(source: ts.SourceFile): Map<string, ts.Expression> {
  const found = new Map<string, ts.Expression>();
  const repeated = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const isConst = (ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const) !== 0;
      if (found.has(node.name.text) || !isConst) repeated.add(node.name.text);
      else found.set(node.name.text, node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  repeated.forEach((name) => found.delete(name));
  return found;
}

function isTextLiteral(node: ts.Node): boolean {
  return ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || ts.isRegularExpressionLiteral(node);
}

function isRequireCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require';
}

/** What of a literal must appear in the lesson: the string; a template's fixed parts; a regex's literal runs. */
function piecesOf(
  node: ts.Node,
): { pieces: string[]; anyPiece: boolean; caseInsensitive: boolean } | undefined {
  if (ts.isStringLiteralLike(node)) {
    const text = withoutFraming(node.text);
    return text === '' ? undefined : { pieces: [text], anyPiece: false, caseInsensitive: false };
  }
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
    return { pieces: meaningful(parts), anyPiece: false, caseInsensitive: false };
  }
  if (ts.isRegularExpressionLiteral(node)) {
    const match = /^\/(.*)\/([a-z]*)$/s.exec(node.text);
    if (!match) return undefined;
    const { pieces, alternatives } = regexPieces(match[1]!);
    return { pieces: meaningful(pieces), anyPiece: alternatives, caseInsensitive: match[2]!.includes('i') };
  }
  return undefined;
}

/** Fragments too short to mean anything on their own (", ", "s") are left out. */
function meaningful(parts: string[]): string[] {
  return parts.map(withoutFraming).filter((part) => part.replace(/[^\p{L}\p{N}]/gu, '').length >= 2);
}

/**
 * Quotes around a text (a test that looks for '"Live"' in JSON) and the lines of a printed tree ('└─ ') frame
 * it; the lesson states the text itself.
 */
function withoutFraming(text: string): string {
  return normaliseWhitespace(text).replace(/^["'`\u2500-\u257f\s]+|["'`\u2500-\u257f\s]+$/g, '');
}

/**
 * The runs of literal characters in a regular expression's source: `expected Lambda to queue the event
 * \(202\), got \d+` gives "expected Lambda to queue the event (202), got ". A character or group made
 * optional by a quantifier (`?`, `*`, `{0,n}`) is left out, and ends a run.
 */
export function regexPieces(source: string): { pieces: string[]; alternatives: boolean } {
  const pieces: string[] = [];
  const groupStarts: number[] = [];
  let lastGroupStart: number | undefined;
  let current = '';
  let alternatives = false;
  const cut = (): void => {
    if (current !== '') pieces.push(current);
    current = '';
  };
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    const afterGroup = source[index - 1] === ')' && source[index - 2] !== '\\';
    if (char === '\\') {
      const next = source[++index] ?? '';
      if (/[dDwWsSbBpPkcux0-9]/.test(next)) cut();
      else current += { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' }[next] ?? next;
    } else if (char === '[') {
      cut();
      while (index < source.length && source[index] !== ']') index += source[index] === '\\' ? 2 : 1;
    } else if ('*?{'.includes(char)) {
      if (afterGroup && lastGroupStart !== undefined) pieces.length = lastGroupStart;
      else current = current.slice(0, -1);
      cut();
      if (char === '{') index = source.indexOf('}', index);
      if (index < 0) break;
    } else if (char === '|') {
      alternatives = true;
      cut();
    } else if (char === '(') {
      cut();
      groupStarts.push(pieces.length);
      index = afterGroupPrefix(source, index);
    } else if (char === ')') {
      cut();
      lastGroupStart = groupStarts.pop();
    } else if ('+.^$'.includes(char)) {
      cut();
    } else {
      current += char;
    }
  }
  cut();
  return { pieces, alternatives };
}

/** `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` and `(?<name>` say what a group is; none of it is text. */
function afterGroupPrefix(source: string, open: number): number {
  if (source[open + 1] !== '?') return open;
  const kind = source[open + 2];
  if (kind !== '<') return open + 2;
  return '=!'.includes(source[open + 3] ?? '') ? open + 3 : source.indexOf('>', open);
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
