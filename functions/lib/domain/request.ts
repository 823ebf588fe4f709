// What a service knows of the request that called it, besides its input: where it came from. Its
// time is passed beside it as `now`, whole seconds, read once per request (http/request.ts).

/** The source of a request: its IP as the edge saw it and its user agent (first 256 characters). */
export interface Origin {
  readonly ip: string;
  readonly userAgent?: string;
}
