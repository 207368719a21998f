import { CourseError } from '../src/errors';
import { DEFAULT_TIME_BUDGET_SECONDS, parseLabManifest, type LabManifest } from '../src/lab-manifest';

const context = { file: 'labs/01-hello-lambda/lab.json', folderId: '01', rerun: 'npx course list' };

const validManifest: LabManifest = {
  id: '01',
  title: 'Hello, Lambda',
  objectives: ['Write a Lambda handler'],
  timeBudgetSeconds: 30,
  tasks: [
    {
      id: 'greet',
      title: 'Greet the caller',
      points: 10,
      tests: ['test/greet.test.ts'],
      hints: ['Return 200.'],
      dependsOn: [],
    },
    {
      id: 'read-name',
      title: 'Read the name',
      points: 20,
      tests: ['hello reads'],
      hints: ['Look at the query.'],
      dependsOn: ['greet'],
    },
  ],
};

function parseWith(
  change: (manifest: Record<string, unknown> & { tasks: Record<string, unknown>[] }) => void,
) {
  const manifest = structuredClone(validManifest) as unknown as Record<string, unknown> & {
    tasks: Record<string, unknown>[];
  };
  change(manifest);
  return () => parseLabManifest(JSON.stringify(manifest), context);
}

function catchError(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
}

describe('parseLabManifest', () => {
  it('returns the manifest of a valid lab.json, ignoring its $schema', () => {
    const text = JSON.stringify({
      $schema: '../../packages/course/schema/lab.schema.json',
      ...validManifest,
    });

    const manifest = parseLabManifest(text, context);

    expect(manifest).toEqual(validManifest);
  });

  it('names the file, the field, the problem, the fix from the schema, and the command to run again', () => {
    const parse = parseWith((manifest) => {
      manifest.tasks.push({ ...manifest.tasks[0], id: 'third', points: '10' });
    });

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: tasks[2].points must be integer; expected a whole number of points of at ' +
        'least 1, for example 10. Fix the file, then run: npx course list',
    );
  });

  it('names a missing field with its description', () => {
    const parse = parseWith((manifest) => delete manifest.tasks[1]!.hints);

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: tasks[1].hints is missing; expected at least one hint, revealed one at a ' +
        'time by `npx course hint NN <task>`, gentlest first. Fix the file, then run: npx course list',
    );
  });

  it('names an unknown field and the fields that are allowed', () => {
    const parse = parseWith((manifest) => (manifest.tasks[0]!.hint = 'Return 200.'));

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: tasks[0].hint is not a known field; expected only id, title, points, ' +
        'tests, hints, dependsOn. Fix the file, then run: npx course list',
    );
  });

  it("describes an array item's problem with the array's description", () => {
    const parse = parseWith((manifest) => (manifest.objectives = ['']));

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: objectives[0] must NOT have fewer than 1 characters; expected a list of what ' +
        'the student can do after the lab, one sentence each. Fix the file, then run: npx course list',
    );
  });

  it('rejects a top level that is not an object', () => {
    const parse = () => parseLabManifest('[]', context);

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: the top level must be object; expected an object with id, title, ' +
        'objectives, tasks. Fix the file, then run: npx course list',
    );
  });

  it("rejects an id that differs from the folder's number", () => {
    const parse = () => parseLabManifest(JSON.stringify(validManifest), { ...context, folderId: '02' });

    expect(parse).toThrow(
      'lab.json: id is "01" but the folder\'s prefix is "02"; expected two digits equal to',
    );
  });

  it('rejects two tasks with the same id', () => {
    const parse = parseWith((manifest) => (manifest.tasks[1]!.id = 'greet'));

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: tasks[1].id "greet" repeats tasks[0].id; expected each task id to be ' +
        'unique. Fix the file, then run: npx course list',
    );
  });

  it('fills in what lab.json may leave out: no dependencies, and the default time budget', () => {
    const text = JSON.stringify({
      ...validManifest,
      timeBudgetSeconds: undefined,
      tasks: validManifest.tasks.map((task) => ({ ...task, dependsOn: undefined })),
    });

    const manifest = parseLabManifest(text, context);

    expect(manifest.timeBudgetSeconds).toBe(DEFAULT_TIME_BUDGET_SECONDS);
    expect(manifest.tasks.map((task) => task.dependsOn)).toEqual([[], []]);
  });

  it('rejects a dependency on a task the lab does not have, naming the file and the tasks it has', () => {
    const parse = parseWith((manifest) => (manifest.tasks[1]!.dependsOn = ['greet', 'gret']));

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: tasks[1].dependsOn[1] is "gret", which is no task of this lab (its tasks ' +
        'are greet, read-name); expected the ids of the tasks of this lab',
    );
  });

  it('rejects a task that depends on itself, and dependencies that go round in a circle', () => {
    const itself = parseWith((manifest) => (manifest.tasks[0]!.dependsOn = ['greet']));
    const circle = parseWith((manifest) => (manifest.tasks[0]!.dependsOn = ['read-name']));

    expect(itself).toThrow('labs/01-hello-lambda/lab.json: tasks[0].dependsOn[0] is the task itself');
    expect(circle).toThrow(
      "labs/01-hello-lambda/lab.json: tasks' dependsOn go round in a circle (greet → read-name → greet)",
    );
  });

  it('rejects a time budget that is not a whole number of seconds', () => {
    const parse = parseWith((manifest) => (manifest.timeBudgetSeconds = 2.5));

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: timeBudgetSeconds must be integer; expected the seconds',
    );
  });

  it('says where malformed JSON breaks, by line and column', () => {
    const parse = () => parseLabManifest('{\n  "id": "01",\n  "title": "Hello",\n}\n', context);

    expect(parse).toThrow(
      'labs/01-hello-lambda/lab.json: is not valid JSON (Expected double-quoted property name at line 4, ' +
        'column 1). Fix the file, then run: npx course list',
    );
  });

  it('reports errors as one line that the CLI turns into exit code 2', () => {
    const error = catchError(() => parseLabManifest('{', context));

    expect(error).toBeInstanceOf(CourseError);
    expect((error as CourseError).exitCode).toBe(2);
    expect((error as CourseError).message).not.toContain('\n');
  });
});
