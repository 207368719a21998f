// How event sources that AWS delivers asynchronously (S3 notifications, SNS, schedules) hand an event to a
// function: through Lambda's async queue, so the retry rules of docs/reference/aws-behaviour.md
// (#asynchronous-invocation-and-retries) apply to them exactly as to an `Event` invocation (2 more attempts
// after a function error, then the on-failure destination).
export interface AsyncInvoker {
  /**
   * Queues the event (JSON text) for the function (key, name or ARN); returns the invocation's request id.
   * `onFinished` runs once the event's last attempt has ended (success, retries exhausted or expired), not
   * when local-cloud stops first.
   */
  invokeAsync(functionName: string, payload: string, onFinished?: () => void): string;
}
