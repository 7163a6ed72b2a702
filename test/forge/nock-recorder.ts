import './node20-promise-with-resolvers.js';
import nock from 'nock';
import type { RecordedRequest } from './api-contract.js';

/**
 * Records every request nock answers on `scope` (nock ≥ 14 emits the fetch Request and the body
 * text), for the contract checks. Requests no interceptor matched are recorded into `unmatched`.
 */
export function recordRequests(scope: nock.Scope, into: RecordedRequest[]): nock.Scope {
  scope.on('request', (request: Request, _interceptor: unknown, body: string) => {
    into.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: body === '' || body === undefined ? undefined : JSON.parse(body),
    });
  });
  return scope;
}

/** Lines naming each request that reached nock and matched nothing, collected until `stop()`. */
export function collectUnmatched(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const listener = (request: Request | { method?: string; url?: string; href?: string }) => {
    lines.push(`${request.method} ${'url' in request ? request.url : request.href}`);
  };
  nock.emitter.on('no match', listener);
  return { lines, stop: () => nock.emitter.removeListener('no match', listener) };
}

export { nock };
