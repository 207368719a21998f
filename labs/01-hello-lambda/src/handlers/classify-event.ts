import { classifyEvent, type EventSummary } from '../events/classify-event';

/**
 * Logs and returns which service an event came from. Invoke it directly with any sample event (the test
 * kit's, or one from the Lambda console's "Test" templates) to see how Lambda's events differ.
 */
export async function handler(event: unknown): Promise<EventSummary> {
  // BEGIN SOLUTION classify-event
  const summary = classifyEvent(event);
  console.log(JSON.stringify({ message: 'classified event', ...summary }));
  return summary;
  // END SOLUTION
}
