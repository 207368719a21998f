/** A task's part of a lesson: the section under the heading that introduces it. */
export interface TaskSection {
  heading: string;
  /** 1-based line of the heading in the lesson. */
  line: number;
  text: string;
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;
const TASK_ID = /Task id: `([^`]+)`/;

/**
 * Each task's section of a lesson (a lab's README.md), by task id. The lessons introduce a task with a heading
 * ("### Task 3: Stop before the timeout (15 points)") followed by a line "Task id: `remaining-time`"; the
 * section runs to the next heading of the same or a higher level. Headings inside code blocks do not count.
 */
export function taskSections(markdown: string): Map<string, TaskSection> {
  const lines = markdown.split('\n');
  const headings: { index: number; level: number; title: string }[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (match) headings.push({ index, level: match[1]!.length, title: match[2]!.trim() });
  });
  const sections = new Map<string, TaskSection>();
  headings.forEach((heading, position) => {
    const next = headings.slice(position + 1).find((later) => later.level <= heading.level);
    const text = lines.slice(heading.index, next?.index ?? lines.length).join('\n');
    // The id line belongs to the heading right above it, not to a section that merely contains it.
    const ownText = lines.slice(heading.index, headings[position + 1]?.index ?? lines.length).join('\n');
    const id = TASK_ID.exec(ownText)?.[1];
    if (id !== undefined && !sections.has(id)) {
      sections.set(id, { heading: heading.title, line: heading.index + 1, text });
    }
  });
  return sections;
}
