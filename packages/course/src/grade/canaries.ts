// Tests the grader plants in each graded run, with random names and random planted outcomes: some must pass,
// some must fail. A run whose results were rewritten to "everything passed" (or that swallowed failures)
// gets a canary wrong, and the lab is reported as tampered with instead of scored.
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SuiteResult } from '../jest-report';

export interface Canary {
  /** Relative to the lab, the way results name files. */
  file: string;
  test: string;
  expected: 'passed' | 'failed';
}

const PER_RUN = 4;

/**
 * Writes the canaries into the lab's test folder of the graded copy: one `.test.<extension>` file with a
 * random name that the lab's own test patterns pick up (one file, as each file costs Jest a module registry).
 * Half of its tests are planted to pass, half to fail, in a random order.
 */
export function plantCanaries(labDir: string, extension: string): Canary[] {
  const outcomes = Array.from({ length: PER_RUN }, (_unused, index): Canary['expected'] =>
    index % 2 === 0 ? 'passed' : 'failed',
  );
  for (let index = outcomes.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [outcomes[index], outcomes[other]] = [outcomes[other]!, outcomes[index]!];
  }
  const file = `test/${randomBytes(6).toString('hex')}.test.${extension}`;
  const canaries = outcomes.map((expected): Canary => ({
    file,
    test: `checks ${randomBytes(4).toString('hex')}`,
    expected,
  }));
  const source = canaries.map((canary) => {
    const value = randomInt(1_000_000);
    const compared = canary.expected === 'passed' ? value : value + 1 + randomInt(1000);
    return `test(${JSON.stringify(canary.test)}, () => {\n  expect(${value}).toBe(${compared});\n});\n`;
  });
  fs.mkdirSync(path.join(labDir, 'test'), { recursive: true });
  fs.writeFileSync(path.join(labDir, file), source.join('\n'));
  return canaries;
}

/**
 * What the canaries' results show, for a run that `completed` (a run stopped early may not have reached
 * them): each must come back exactly as planted.
 */
export function checkCanaries(canaries: Canary[], suites: SuiteResult[], completed: boolean): string[] {
  const problems: string[] = [];
  for (const canary of canaries) {
    const suite = suites.find((candidate) => candidate.file === canary.file);
    const outcome = suite?.tests.find((test) => test.fullName === canary.test)?.status;
    if (outcome === undefined) {
      if (completed) problems.push(`a test the grader planted (${canary.file}) did not report`);
    } else if (outcome !== canary.expected) {
      problems.push(
        `a test the grader planted to ${canary.expected === 'passed' ? 'pass' : 'fail'} (${canary.file}) ${outcome}`,
      );
    }
  }
  return problems;
}

/** The results without the canaries' files: they earn nothing and are not the student's. */
export function withoutCanaries(suites: SuiteResult[], canaries: Canary[]): SuiteResult[] {
  const planted = new Set(canaries.map((canary) => canary.file));
  return suites.filter((suite) => !planted.has(suite.file));
}
