/** An error a route answers with as `{ error }` JSON and this HTTP status (4xx: the client's fault). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}
