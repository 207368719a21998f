// An XMLHttpRequest the test drives: it records the PUT and lets the test send progress and the answer.
export class FakeXhr extends EventTarget {
  readonly upload = new EventTarget();
  status = 0;
  method?: string;
  url?: string;
  headers: Record<string, string> = {};
  body?: unknown;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  send(body: unknown): void {
    this.body = body;
  }

  abort(): void {
    this.dispatchEvent(new Event('abort'));
  }

  progress(loaded: number, total: number): void {
    this.upload.dispatchEvent(
      Object.assign(new Event('progress'), { lengthComputable: true, loaded, total }),
    );
  }

  respond(status: number): void {
    this.status = status;
    this.dispatchEvent(new Event('load'));
  }

  fail(): void {
    this.dispatchEvent(new Event('error'));
  }

  asRequest(): XMLHttpRequest {
    return this as unknown as XMLHttpRequest;
  }
}
