import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

/**
 * One GET of an http(s) URL whose body comes exactly as the server sent it: the bytes a checksum is
 * of. fetch (undici) decodes a Content-Encoding: gzip, deflate or br body and cannot be told not
 * to, so a .tar.gz a server labels Content-Encoding: gzip (Apache's `AddEncoding gzip .gz`) would
 * arrive as a bare tar that matches no digest. node:http decodes nothing; the request also asks for
 * no encoding (Accept-Encoding: identity), and a server that encodes anyway is taken at its bytes.
 *
 * Redirects are not followed: the caller checks each one. Resolves once the headers are in; the
 * caller reads the body or destroys the response.
 */
export function getRaw(url: URL, options: GetRawOptions = {}): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  const { signal, userAgent, idleTimeout } = options;
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (userAgent) headers['user-agent'] = userAgent;
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, ...(signal ? { signal } : {}) }, resolve).on('error', reject);
    // A server that stops sending (before the headers or in the body) is given up, not waited for.
    if (idleTimeout)
      request.setTimeout(idleTimeout, () =>
        request.destroy(new Error(`nothing arrived for ${idleTimeout / 1000} s`)),
      );
  });
}

export interface GetRawOptions {
  signal?: AbortSignal | undefined;
  /** Sent as User-Agent; some mirrors refuse the defaults of HTTP libraries. */
  userAgent?: string | undefined;
  /** Milliseconds the connection may stay silent before it is destroyed with an error. */
  idleTimeout?: number | undefined;
}

/**
 * What a failed connection says: node gives an AggregateError with an empty message when every
 * address of a name refused (IPv6 and IPv4 of localhost), so its parts are named instead.
 */
export function connectionFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  if (error instanceof AggregateError && error.errors.length > 0)
    return error.errors.map(connectionFailure).join('; ');
  return (error as NodeJS.ErrnoException).code ?? error.name;
}
