import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { CourseError } from './errors';
import { parseJson } from './json-file';
import { displayPath, type LabFolder } from './workspace';

export interface Task {
  id: string;
  title: string;
  points: number;
  tests: string[];
  hints: string[];
  /** Tasks of the same lab whose code this task's tests also run; empty when it stands alone. */
  dependsOn: string[];
}

export interface LabManifest {
  id: string;
  title: string;
  objectives: string[];
  /** How long one test file may run before check stops it as a loop or a promise that never settles. */
  timeBudgetSeconds: number;
  tasks: Task[];
}

/** Long enough for a unit-test file on a busy two-core machine; labs that package or start services raise it. */
export const DEFAULT_TIME_BUDGET_SECONDS = 30;

/** lab.json as written: the optional fields may be absent. */
type ManifestFile = Omit<LabManifest, 'timeBudgetSeconds' | 'tasks'> & {
  timeBudgetSeconds?: number;
  tasks: (Omit<Task, 'dependsOn'> & { dependsOn?: string[] })[];
};

export interface Lab extends LabManifest {
  folder: LabFolder;
  /** lab.json's path relative to the workspace root, for messages. */
  file: string;
}

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
}

const schemaFile = path.join(__dirname, '..', 'schema', 'lab.schema.json');
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as SchemaNode;
// allErrors stays off: the message reports one problem, and the first one found is the one to fix first.
const validate = new Ajv({ allErrors: false }).compile<ManifestFile>(schema);

/** Reads and checks labs/NN-name/lab.json; `rerun` is the command the student runs after fixing the file. */
export function loadLab(root: string, folder: LabFolder, rerun: string): Lab {
  const fullPath = path.join(folder.dir, 'lab.json');
  const file = displayPath(root, fullPath);
  if (!fs.existsSync(fullPath)) {
    throw new CourseError(
      `${file} is missing; every lab folder needs a lab.json manifest (id, title, objectives, tasks). ` +
        `Add it, then run: ${rerun}`,
    );
  }
  const manifest = parseLabManifest(fs.readFileSync(fullPath, 'utf8'), { file, folderId: folder.id, rerun });
  return { ...manifest, folder, file };
}

/** Pure: text in, manifest or a one-line CourseError out. */
export function parseLabManifest(
  text: string,
  context: { file: string; folderId: string; rerun: string },
): LabManifest {
  const fail = (problem: string): never => {
    throw new CourseError(`${context.file}: ${problem}. Fix the file, then run: ${context.rerun}`);
  };
  const parsed = parseJson(text);
  if (!parsed.ok) return fail(`is not valid JSON (${parsed.problem})`);
  const data = parsed.value;
  if (!validate(data)) return fail(describeSchemaError(validate.errors![0]!));

  if (data.id !== context.folderId) {
    fail(
      `id is "${data.id}" but the folder's prefix is "${context.folderId}"; expected ${descriptionAt(['id'])}`,
    );
  }
  const firstIndex = new Map<string, number>();
  data.tasks.forEach((task, index) => {
    const earlier = firstIndex.get(task.id);
    if (earlier !== undefined) {
      fail(
        `tasks[${index}].id "${task.id}" repeats tasks[${earlier}].id; expected each task id to be unique`,
      );
    }
    firstIndex.set(task.id, index);
  });
  data.tasks.forEach((task, index) =>
    (task.dependsOn ?? []).forEach((dependency, position) => {
      const field = `tasks[${index}].dependsOn[${position}]`;
      if (dependency === task.id) fail(`${field} is the task itself; expected ${descriptionAt(DEPENDS_ON)}`);
      if (!firstIndex.has(dependency)) {
        fail(
          `${field} is "${dependency}", which is no task of this lab (its tasks are ${[...firstIndex.keys()].join(', ')}); ` +
            `expected ${descriptionAt(DEPENDS_ON)}`,
        );
      }
    }),
  );
  const cycle = findCycle(data.tasks);
  if (cycle)
    fail(`tasks' dependsOn go round in a circle (${cycle.join(' → ')}); expected an order to do them in`);
  return {
    id: data.id,
    title: data.title,
    objectives: data.objectives,
    timeBudgetSeconds: data.timeBudgetSeconds ?? DEFAULT_TIME_BUDGET_SECONDS,
    tasks: data.tasks.map((task) => ({ ...task, dependsOn: task.dependsOn ?? [] })),
  };
}

const DEPENDS_ON = ['tasks', '0', 'dependsOn'];

/** A chain of task ids that leads back to its start, if the dependsOn lists have one. */
function findCycle(tasks: ManifestFile['tasks']): string[] | undefined {
  const dependencies = new Map(tasks.map((task) => [task.id, task.dependsOn ?? []]));
  const done = new Set<string>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (path.includes(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return undefined;
    for (const dependency of dependencies.get(id) ?? []) {
      const cycle = visit(dependency, [...path, id]);
      if (cycle) return cycle;
    }
    done.add(id);
    return undefined;
  };
  for (const task of tasks) {
    const cycle = visit(task.id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

function describeSchemaError(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const field = [...segments, String(params.missingProperty)];
    return `${fieldName(field)} is missing; expected ${descriptionAt(field)}`;
  }
  if (error.keyword === 'additionalProperties') {
    const allowed = Object.keys(nodeAt(segments)?.properties ?? {}).join(', ');
    return `${fieldName([...segments, String(params.additionalProperty)])} is not a known field; expected only ${allowed}`;
  }
  return `${fieldName(segments)} ${error.message ?? 'is invalid'}; expected ${descriptionAt(segments)}`;
}

/** JSON path the way people write it: tasks[2].points. */
function fieldName(segments: string[]): string {
  if (segments.length === 0) return 'the top level';
  return segments
    .map((segment, index) => {
      if (/^\d+$/.test(segment)) return `[${segment}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function nodeAt(segments: string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const segment of segments) {
    node = /^\d+$/.test(segment) ? node?.items : node?.properties?.[segment];
  }
  return node;
}

/**
 * The schema's description is the fix ("a whole number of points of at least 1"). Array items have none of
 * their own, so the nearest described ancestor speaks for them; the top level gets its required fields.
 */
export function descriptionAt(segments: string[]): string {
  let description = `an object with ${(schema.required ?? []).join(', ')}`;
  let node: SchemaNode | undefined = schema;
  for (const segment of segments) {
    node = /^\d+$/.test(segment) ? node?.items : node?.properties?.[segment];
    if (node?.description) description = node.description;
  }
  return description;
}
