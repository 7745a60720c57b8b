/** An API refusal with the status and message Nova gives (the HTTP layer renders Nova's error body). */
export class NovaApiError extends Error {
  readonly status: 400 | 403 | 404 | 409 | 500 | 503;
  constructor(status: NovaApiError['status'], message: string) {
    // An answer of the API, not a bug: no stack trace (capturing one is most of the cost of a refused call, and
    // a rack loss has Nova refuse hundreds per seed).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'NovaApiError';
    this.status = status;
  }
}
