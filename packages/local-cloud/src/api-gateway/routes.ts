// API Gateway's resource tree. Every path segment of every route is a resource (as on AWS, where
// `/groups/{groupId}/images` also creates `/groups` and `/groups/{groupId}`, with no methods), each with
// its methods. A request resolves to one resource by path alone; the method is looked up afterwards, so a
// resource without that method is a 403 even when a `{proxy+}` elsewhere would take it.
import { randomLowerAlphanumeric } from './ids';

export interface Resource<M> {
  /** The template, `/groups/{groupId}`: the event's `resource` and `requestContext.resourcePath`. */
  readonly path: string;
  /** `requestContext.resourceId`. */
  readonly id: string;
  /** By HTTP method (GET, ANY, OPTIONS, ...). */
  readonly methods: Map<string, M>;
}

export interface RouteMatch<M> {
  resource: Resource<M>;
  /** Raw, as REST APIs pass them: `%20` stays `%20`. Null when the template has no parameter. */
  pathParameters: Record<string, string> | null;
}

interface TreeNode<M> extends Resource<M> {
  readonly literals: Map<string, TreeNode<M>>;
  /** `{name}` or `{name+}`: API Gateway allows one variable child per resource. */
  variable?: { name: string; greedy: boolean; node: TreeNode<M> };
}

export class InvalidRouteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRouteError';
  }
}

type Segment = { kind: 'literal'; text: string } | { kind: 'variable'; name: string; greedy: boolean };

const VARIABLE = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/** The methods API Gateway serves; ANY stands for exactly these. */
const HTTP_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

/** An explicit method wins over ANY; HEAD is served only where HEAD or ANY is defined. */
export function methodOf<M>(resource: Resource<M>, httpMethod: string): M | undefined {
  if (!HTTP_METHODS.has(httpMethod)) return undefined;
  return resource.methods.get(httpMethod) ?? resource.methods.get('ANY');
}

/** `/dev/groups/42` → `/groups/42`; `/dev` → `/`; another stage → undefined. `stagePrefix` is `/dev`. */
export function pathAfterStage(fullPath: string, stagePrefix: string): string | undefined {
  if (!fullPath.startsWith(stagePrefix)) return undefined;
  const rest = fullPath.slice(stagePrefix.length);
  if (rest === '') return '/';
  return rest.charCodeAt(0) === 47 /* / */ ? rest : undefined;
}

/** `/groups/{groupId}/` → `/groups/{groupId}`; empty → `/`. */
export function normalizeTemplate(template: string): string {
  const trimmed = template.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return `/${trimmed}`;
}

function parseTemplate(template: string): Segment[] {
  if (template === '/') return [];
  const parts = template.slice(1).split('/');
  return parts.map((part, index): Segment => {
    const variable = VARIABLE.exec(part);
    if (variable) {
      const greedy = variable[2] === '+';
      if (greedy && index !== parts.length - 1) {
        throw new InvalidRouteError(
          `Route ${template}: the greedy parameter ${part} must be the last segment of the path. ` +
            'Move it to the end, for example /files/{proxy+}.',
        );
      }
      return { kind: 'variable', name: variable[1] ?? '', greedy };
    }
    if (part === '' || part.includes('{') || part.includes('}')) {
      throw new InvalidRouteError(
        `Route ${template}: "${part}" is not a valid path part. Use literal text or one parameter per ` +
          'segment, such as /groups/{groupId}.',
      );
    }
    return { kind: 'literal', text: part };
  });
}

export class ResourceTree<M> {
  private readonly root: TreeNode<M> = this.newNode('/', randomLowerAlphanumeric(10));

  /** The resource for a template, created with its parents if missing. */
  resource(template: string): Resource<M> {
    const path = normalizeTemplate(template);
    let node = this.root;
    let built = '';
    for (const segment of parseTemplate(path)) {
      if (segment.kind === 'literal') {
        built += `/${segment.text}`;
        let child = node.literals.get(segment.text);
        if (!child) {
          child = this.newNode(built);
          node.literals.set(segment.text, child);
        }
        node = child;
        continue;
      }
      const part = `{${segment.name}${segment.greedy ? '+' : ''}}`;
      built += `/${part}`;
      if (!node.variable) {
        node.variable = { name: segment.name, greedy: segment.greedy, node: this.newNode(built) };
      } else if (node.variable.name !== segment.name || node.variable.greedy !== segment.greedy) {
        const sibling = `{${node.variable.name}${node.variable.greedy ? '+' : ''}}`;
        throw new InvalidRouteError(
          `Route ${path}: a sibling (${sibling}) of ${part} already has a variable path part -- only one is ` +
            `allowed (API Gateway refuses this too). Use ${sibling} in every route under ${node.path}.`,
        );
      }
      node = node.variable.node;
    }
    return node;
  }

  /** Every resource, root first, parents before children. */
  resources(): Resource<M>[] {
    const all: Resource<M>[] = [];
    const visit = (node: TreeNode<M>) => {
      all.push(node);
      node.literals.forEach(visit);
      if (node.variable) visit(node.variable.node);
    };
    visit(this.root);
    return all;
  }

  /**
   * The resource a request path (after the stage, still percent-encoded) resolves to. Literal segments win
   * over parameters, parameters over greedy ones; a branch that cannot consume the whole path gives way to
   * the next. Trailing slashes are ignored, as API Gateway ignores them.
   */
  match(path: string): RouteMatch<M> | undefined {
    let end = path.length;
    while (end > 1 && path.charCodeAt(end - 1) === 47 /* / */) end--;
    const trimmed = path.slice(1, end);
    const segments = trimmed === '' || trimmed === '/' ? [] : trimmed.split('/');
    const names: string[] = [];
    const values: string[] = [];
    const node = this.search(this.root, segments, 0, names, values);
    if (!node) return undefined;
    let pathParameters: Record<string, string> | null = null;
    if (names.length > 0) {
      pathParameters = {};
      for (let i = 0; i < names.length; i++) pathParameters[names[i] as string] = values[i] as string;
    }
    return { resource: node, pathParameters };
  }

  private search(
    node: TreeNode<M>,
    segments: string[],
    index: number,
    names: string[],
    values: string[],
  ): TreeNode<M> | undefined {
    if (index === segments.length) return node;
    const segment = segments[index] as string;
    const literal = node.literals.get(segment);
    if (literal) {
      const found = this.search(literal, segments, index + 1, names, values);
      if (found) return found;
    }
    const variable = node.variable;
    if (!variable || segment === '') return undefined;
    if (variable.greedy) {
      names.push(variable.name);
      values.push(index === segments.length - 1 ? segment : segments.slice(index).join('/'));
      return variable.node;
    }
    names.push(variable.name);
    values.push(segment);
    const found = this.search(variable.node, segments, index + 1, names, values);
    if (found) return found;
    names.pop();
    values.pop();
    return undefined;
  }

  private newNode(path: string, id = randomLowerAlphanumeric(6)): TreeNode<M> {
    return { path, id, methods: new Map(), literals: new Map() };
  }
}
