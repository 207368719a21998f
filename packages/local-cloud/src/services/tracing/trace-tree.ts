// A finished trace as a tree, and its text form for the log:
//
//   trace 1-6561f2a0-0a1b2c3d4e5f60718293a4b5 (45.2 ms)
//   best-practices-dev-createImage  AWS::Lambda::Function  45.2 ms
//   └─ POST images  30.1 ms  groupId=g1
//      ├─ probe-image  5.0 ms  imageHost=127.0.0.1
//      │  └─ 127.0.0.1  4.1 ms  HEAD http://127.0.0.1:4321/cat.jpg 200
//      └─ DynamoDB  10.0 ms  PutItem best-practices-dev-images
import type { TraceDocument } from './segment-documents';

export interface TraceNode {
  document: TraceDocument;
  children: TraceNode[];
}

export interface FinishedTrace {
  traceId: string;
  /** Usually one: the function's segment. Subsegments whose parent never arrived are roots too. */
  roots: TraceNode[];
  /** From the earliest start to the latest end, ms. */
  durationMs: number;
}

export function buildTrace(traceId: string, documents: readonly TraceDocument[]): FinishedTrace {
  // A subsegment may arrive twice (in progress, then closed): the last word wins.
  const byId = new Map<string, TraceDocument>();
  for (const document of documents) byId.set(document.id, { ...byId.get(document.id), ...document });
  const nodes = new Map([...byId].map(([id, document]) => [id, { document, children: [] as TraceNode[] }]));
  const roots: TraceNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.document.parent_id === undefined ? undefined : nodes.get(node.document.parent_id);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: TraceNode, b: TraceNode) => a.document.start_time - b.document.start_time;
  for (const node of nodes.values()) node.children.sort(byStart);
  roots.sort(byStart);
  const starts = [...byId.values()].map((document) => document.start_time);
  const ends = [...byId.values()].map((document) => document.end_time ?? document.start_time);
  const durationMs = starts.length === 0 ? 0 : (Math.max(...ends) - Math.min(...starts)) * 1000;
  return { traceId, roots, durationMs };
}

/** The tree as lines of text, header first. */
export function formatTrace(trace: FinishedTrace): string[] {
  const lines = [`trace ${trace.traceId} (${trace.durationMs.toFixed(1)} ms)`];
  for (const root of trace.roots) {
    lines.push(describe(root.document));
    appendChildren(root, '', lines);
  }
  return lines;
}

function appendChildren(node: TraceNode, indent: string, lines: string[]): void {
  node.children.forEach((child, index) => {
    const last = index === node.children.length - 1;
    lines.push(`${indent}${last ? '└─ ' : '├─ '}${describe(child.document)}`);
    appendChildren(child, `${indent}${last ? '   ' : '│  '}`, lines);
  });
}

function describe(document: TraceDocument): string {
  const parts = [document.name];
  if (document.origin !== undefined) parts.push(document.origin);
  parts.push(
    document.end_time === undefined
      ? 'in progress'
      : `${((document.end_time - document.start_time) * 1000).toFixed(1)} ms`,
  );
  const { http, aws, annotations } = document;
  if (aws?.operation !== undefined) parts.push([aws.operation, aws.table_name].filter(Boolean).join(' '));
  if (http?.request?.url !== undefined) {
    parts.push(
      [http.request.method, http.request.url, http.response?.status]
        .filter((part) => part !== undefined)
        .join(' '),
    );
  }
  if (annotations !== undefined && Object.keys(annotations).length > 0) {
    parts.push(
      Object.entries(annotations)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(' '),
    );
  }
  if (document.fault) parts.push('FAULT');
  else if (document.error) parts.push('ERROR');
  if (document.throttle) parts.push('THROTTLE');
  return parts.join('  ');
}
