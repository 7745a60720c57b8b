/** An API refusal with the status and message Nova gives (the HTTP layer renders Nova's error body). */
export class NovaApiError extends Error {
  readonly status: 400 | 403 | 404 | 409 | 500 | 503;
  constructor(status: NovaApiError['status'], message: string) {
    super(message);
    this.name = 'NovaApiError';
    this.status = status;
  }
}
