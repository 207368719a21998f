// A finished execution as a tree for the log, like the trace trees (src/services/tracing/trace-tree.ts):
//
//   execution checkout:5d1c… SUCCEEDED (48.2 ms)  input {"orderId":"o-1"}  output {"total":42}
//   ├─ Validate  Task  12.0 ms  in {"orderId":"o-1"}  out {"orderId":"o-1","valid":true}
//   ├─ Fan out  Parallel  30.1 ms  in …  out […]
//   │  ├─ branch 1
//   │  │  └─ Price  Task  10.2 ms  in …  out …
//   │  └─ branch 2
//   │     └─ Stock  Task  9.9 ms  in …  out …
//   └─ Done  Succeed  0.1 ms  in …  out …
import type { ExecutionRun, StateRecord } from './interpreter';
import type { Json } from './paths';

const MAX_JSON = 160;
const MAX_CHILDREN = 10;

function shown(value: Json | undefined): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_JSON ? `${text.slice(0, MAX_JSON - 1)}…` : text;
}

export function formatExecution(run: ExecutionRun): string[] {
  const duration = ((run.stopDate?.getTime() ?? Date.now()) - run.startDate.getTime()).toFixed(1);
  const header = [
    `execution ${run.identity.stateMachineName}:${run.identity.name} ${run.status} (${duration} ms)`,
    `input ${shown(run.input)}`,
  ];
  if (run.status === 'SUCCEEDED') header.push(`output ${shown(run.output)}`);
  else if (run.error !== undefined || run.cause !== undefined)
    header.push(`${run.error ?? ''}: ${run.cause ?? ''}`.slice(0, 300));
  const lines = [header.join('  ')];
  appendRecords(run.trace, '', lines);
  return lines;
}

function appendRecords(records: readonly StateRecord[], indent: string, lines: string[]): void {
  records.forEach((record, index) => {
    const last = index === records.length - 1;
    lines.push(`${indent}${last ? '└─ ' : '├─ '}${describe(record)}`);
    const inner = `${indent}${last ? '   ' : '│  '}`;
    // A Map of many items shows its first iterations only.
    const shownChildren = record.children.slice(0, MAX_CHILDREN);
    const hidden = record.children.length - shownChildren.length;
    shownChildren.forEach((child, childIndex) => {
      const lastChild = childIndex === shownChildren.length - 1 && hidden === 0;
      lines.push(`${inner}${lastChild ? '└─ ' : '├─ '}${child.label}`);
      appendRecords(child.records, `${inner}${lastChild ? '   ' : '│  '}`, lines);
    });
    if (hidden > 0) lines.push(`${inner}└─ … ${hidden} more`);
  });
}

function describe(record: StateRecord): string {
  const parts = [record.name, record.type];
  parts.push(
    record.endedAt === undefined ? 'in progress' : `${(record.endedAt - record.startedAt).toFixed(1)} ms`,
  );
  if (record.retries > 0) parts.push(`${record.retries} ${record.retries === 1 ? 'retry' : 'retries'}`);
  parts.push(`in ${shown(record.input)}`);
  if (record.error)
    parts.push(
      `${record.output === undefined ? 'FAILED' : 'caught'} ${record.error.error}: ${record.error.cause}`.slice(
        0,
        240,
      ),
    );
  if (record.output !== undefined) parts.push(`out ${shown(record.output)}`);
  return parts.join('  ');
}
