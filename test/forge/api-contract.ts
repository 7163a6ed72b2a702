import { Ajv, type ValidateFunction } from 'ajv';

/** One HTTP request as a test saw it leave an adapter. */
export interface RecordedRequest {
  method: string;
  /** The full URL, as sent (percent-encoded). */
  url: string;
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when none was sent. */
  body: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: API specs are deep JSON walked by pointer
type Json = any;

interface Operation {
  template: string;
  params: Record<string, string>;
  operation: Json;
}

/**
 * Checks requests against a forge's official API description: that the method and path are an
 * operation of the spec, the path parameters are declared, query parameters are declared, and the
 * JSON body validates against the operation's body schema, with no property the schema does not
 * name (forges ignore unknown fields silently, so a misspelled one would go unnoticed). Swagger 2.0
 * (Gitea) and OpenAPI 3.0 (GitHub) are both read; their schemas are JSON Schema enough for ajv once
 * the definitions they reference are carried along.
 */
export class ApiContract {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { template: string; regex: RegExp; names: string[] }[];

  private constructor(
    private readonly spec: Json,
    /** The path prefix every request path starts with: /api/v1 for Gitea, /api/v3 for GHES. */
    private readonly prefix: string,
    private readonly kind: 'swagger2' | 'openapi3',
  ) {
    this.routes = Object.keys(spec.paths).map((template) => {
      const names: string[] = [];
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(name);
          return '([^/]+)';
        })
        .join('');
      return { template, regex: new RegExp(`^${source}$`), names };
    });
  }

  /** A Swagger 2.0 spec served at `baseUrl` (its `basePath` is appended). */
  static swagger2(spec: Json, baseUrl: string): ApiContract {
    return new ApiContract(
      spec,
      new URL(baseUrl).pathname.replace(/\/+$/, '') + (spec.basePath ?? ''),
      'swagger2',
    );
  }

  /** An OpenAPI 3 spec served at `apiUrl` (https://api.github.com, https://HOST/api/v3). */
  static openapi3(spec: Json, apiUrl: string): ApiContract {
    return new ApiContract(spec, new URL(apiUrl).pathname.replace(/\/+$/, ''), 'openapi3');
  }

  /** What is wrong with `request` by the spec; empty when nothing. */
  problems(request: RecordedRequest): string[] {
    const url = new URL(request.url);
    const what = `${request.method} ${url.pathname}`;
    if (!url.pathname.startsWith(`${this.prefix}/`))
      return [`${what}: the path is not under ${this.prefix}/`];
    const found = this.find(request.method, url.pathname.slice(this.prefix.length));
    if (typeof found === 'string') return [`${what}: ${found}`];
    const problems: string[] = [];
    const parameters: Json[] = (found.operation.parameters ?? []).map((p: Json) => this.deref(p));
    for (const [name, value] of Object.entries(found.params)) {
      const declared = parameters.find((p) => p.in === 'path' && p.name === name);
      if (declared === undefined) problems.push(`${what}: path parameter {${name}} is not declared`);
      if (value === '') problems.push(`${what}: path parameter {${name}} is empty`);
      const type = declared?.schema?.type ?? declared?.type;
      if (type === 'integer' && !/^[0-9]+$/.test(value)) {
        problems.push(`${what}: path parameter {${name}} is ${JSON.stringify(value)}, expected an integer`);
      }
    }
    for (const key of url.searchParams.keys()) {
      if (!parameters.some((p) => p.in === 'query' && p.name === key)) {
        problems.push(`${what}: query parameter ${key} is not declared`);
      }
    }
    const body = this.bodySchema(found.operation);
    if (request.body !== undefined) {
      if (body === undefined) {
        problems.push(`${what}: the operation takes no body, but one was sent`);
      } else {
        const contentType = request.headers['content-type'] ?? '';
        if (!contentType.startsWith('application/json')) {
          problems.push(`${what}: content-type is ${JSON.stringify(contentType)}, expected application/json`);
        }
        const validate = this.validator(`${request.method} ${found.template}`, body.schema);
        if (!validate(request.body)) {
          for (const error of validate.errors ?? []) {
            problems.push(
              `${what}: body${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
            );
          }
        }
      }
    } else if (body?.required) {
      problems.push(`${what}: the operation requires a body, none was sent`);
    }
    return problems;
  }

  /** The operation `template` + method, for tests that look at the spec itself. */
  operation(method: string, template: string): Json {
    return this.spec.paths[template]?.[method.toLowerCase()];
  }

  private find(method: string, path: string): Operation | string {
    const shapes: string[] = [];
    for (const route of this.routes) {
      const match = route.regex.exec(path);
      if (match === null) continue;
      const operation = this.spec.paths[route.template][method.toLowerCase()];
      if (operation === undefined) {
        shapes.push(route.template);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1] ?? '');
      });
      return { template: route.template, params, operation };
    }
    return shapes.length > 0
      ? `no ${method} operation on ${shapes.join(', ')}`
      : 'no path of the spec has this shape';
  }

  private bodySchema(operation: Json): { schema: Json; required: boolean } | undefined {
    if (this.kind === 'swagger2') {
      const param = (operation.parameters ?? [])
        .map((p: Json) => this.deref(p))
        .find((p: Json) => p.in === 'body');
      return param === undefined ? undefined : { schema: param.schema, required: param.required === true };
    }
    if (operation.requestBody === undefined) return undefined;
    const requestBody = this.deref(operation.requestBody);
    const schema = requestBody.content?.['application/json']?.schema;
    return schema === undefined ? undefined : { schema, required: requestBody.required === true };
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      const top = this.deref(schema);
      const closed =
        top.type === 'object' && top.additionalProperties === undefined
          ? { ...top, additionalProperties: false }
          : top;
      validate = this.ajv.compile(this.withReferenced(closed));
      this.validators.set(key, validate);
    }
    return validate;
  }

  private deref(value: Json): Json {
    let current = value;
    while (current && typeof current.$ref === 'string') current = this.pointer(current.$ref);
    return current;
  }

  private pointer(ref: string): Json {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
    let value = this.spec;
    for (const part of ref.slice(2).split('/')) value = value?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (value === undefined) throw new Error(`$ref ${ref} points at nothing in the spec`);
    return value;
  }

  /**
   * `schema` with every definition it references (transitively) copied to the same pointer, so
   * that ajv resolves `#/definitions/X` or `#/components/schemas/X` without compiling the whole spec.
   */
  private withReferenced(schema: Json): Json {
    const root: Json = { ...schema };
    const seen = new Set<string>();
    const visit = (value: Json) => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item);
      } else if (value !== null && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          if (key === '$ref' && typeof item === 'string' && !seen.has(item)) {
            seen.add(item);
            const target = this.pointer(item);
            const parts = item.slice(2).split('/');
            let node = root;
            for (const part of parts.slice(0, -1)) node = node[part] ??= {};
            node[parts.at(-1)!] = target;
            visit(target);
          } else {
            visit(item);
          }
        }
      }
    };
    visit(schema);
    return root;
  }
}
