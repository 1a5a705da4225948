import { quoteInput } from '../broker/describe-input.js';
import { HttpError } from '../broker/http-util.js';
import type { TransportName } from '../document/scenario.js';
import type { RequestHandler } from '../transports/transport.js';

/** One path of the reference server: its handler per method, and the technique it counts for, if any. */
export interface Route {
  technique?: TransportName;
  handlers: Partial<Record<string, RequestHandler>>;
}

export interface RequestTarget {
  pathname: string;
  query: URLSearchParams;
  /** The host of an absolute-form target (`GET http://host/path`), which stands for the Host header. */
  authority?: string;
}

const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)/i;

export function splitUrl(target: string): RequestTarget {
  // RFC 9112 §3.2.2: the absolute form (GET http://host/path) names the same resource as its path.
  const absolute = ABSOLUTE_FORM.exec(target);
  const url = absolute === null ? target : target.slice(absolute[0].length) || '/';
  const authority = absolute === null ? {} : { authority: absolute[1]! };
  const mark = url.indexOf('?');
  if (mark === -1) return { pathname: url, query: new URLSearchParams(), ...authority };
  return { pathname: url.slice(0, mark), query: new URLSearchParams(url.slice(mark + 1)), ...authority };
}

/**
 * RFC 9110 §9.1: a resource that answers GET answers HEAD too, with the same headers and no
 * body. Every route with a GET has it, without code of its own: its own HEAD handler where it
 * has one (a technique that holds its GET), else its GET handler.
 */
export function handlerFor(route: Route, method: string): RequestHandler | undefined {
  if (method === 'HEAD') return route.handlers.HEAD ?? route.handlers.GET;
  return route.handlers[method];
}

/** The methods a route answers, for Allow and a preflight's allow-methods: HEAD wherever GET is. */
export function methodsOf(route: Route): string {
  const methods = Object.keys(route.handlers).filter((method) => route.handlers[method] !== undefined);
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.splice(methods.indexOf('GET') + 1, 0, 'HEAD');
  return methods.join(', ');
}

/** 405, with the Allow header RFC 9110 §15.5.6 asks for. */
export function methodNotAllowed(pathname: string, route: Route, method: string): HttpError {
  const allow = methodsOf(route);
  return new HttpError(405, 'method_not_allowed', `${pathname} accepts ${allow}, not ${quoteInput(method)}`, { allow });
}
