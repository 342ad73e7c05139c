// Every response the integration suite received, checked against the OpenAPI description
// (server/openapi/openapi.json): the HTTP client appends each exchange to the JSONL file named by
// GONGKAI_API_RECORD (tests/support/http_client.cpp), and here each is matched to its operation
// as the router matches it, and must have a declared status, a declared media type, and a JSON
// body that validates against the declared schema (JSON Schema 2020-12, by ajv).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const requireFromWeb = createRequire(path.join(root, 'web/package.json'));
const Ajv2020 = requireFromWeb('ajv/dist/2020').default;
const addFormats = requireFromWeb('ajv-formats').default;

const description = JSON.parse(readFileSync(path.join(root, 'server/openapi/openapi.json'), 'utf8'));
const recordFile = process.env.GONGKAI_API_RECORD;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

// The components' schemas under one id, so that every "#/components/schemas/X" of the
// description resolves wherever a schema is compiled.
const BASE = 'urn:gongkai:openapi';
const rebased = JSON.parse(JSON.stringify(description).replaceAll('"#/components/schemas/', `"${BASE}#/$defs/`));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
// Formats OpenAPI names for documentation only.
ajv.addFormat('password', true);
ajv.addFormat('binary', true);
ajv.addSchema({ $id: BASE, $defs: rebased.components.schemas });
const compiled = new Map();
const validatorOf = (schema) => {
  const key = JSON.stringify(schema);
  if (!compiled.has(key)) compiled.set(key, ajv.compile(schema));
  return compiled.get(key);
};
const responseOf = (response) => (response.$ref ? rebased.components.responses[response.$ref.split('/').pop()] : response);

// Path templates as the router tries them: literal segments before parameters, so that
// /archives/signing-keys wins over /archives/{id} and /feedback/receipt/{code} over /{id}/{step}.
const templates = Object.keys(rebased.paths)
  .map((template) => ({ template, segments: template.split('/').slice(1) }))
  .sort((a, b) => a.segments.filter((s) => s.startsWith('{')).length - b.segments.filter((s) => s.startsWith('{')).length);
const matches = (segments, actual) => segments.length === actual.length &&
  segments.every((s, i) => (s.startsWith('{') ? actual[i] !== '' : s === actual[i]));

// What the description says about one exchange: the operation, or why there is none.
function operationOf(method, fullPath) {
  // The server splits the decoded path, as Poco's URI gives it: %2F is a separator there too.
  const actual = decodeURIComponent(fullPath.split('?')[0]).split('/').slice(1);
  const verb = method === 'HEAD' ? 'get' : method.toLowerCase();
  const found = templates.filter((t) => matches(t.segments, actual));
  const withMethod = found.find((t) => rebased.paths[t.template][verb]);
  if (withMethod) return { key: `${verb.toUpperCase()} ${withMethod.template}`, operation: rebased.paths[withMethod.template][verb] };
  return { key: null, expected: found.length ? 405 : 404 };
}

const mediaType = (contentType) => contentType.split(';')[0].trim().toLowerCase();
const covers = (declared, actual) => declared === actual || declared === '*/*' ||
  (declared.endsWith('/*') && actual.startsWith(declared.slice(0, -1)));

// An ajv error as a line that names the member at fault.
const explain = (e) => `${e.instancePath || '/'} ${e.message}` +
  (e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : '');

const problemValidator = validatorOf({ $ref: `${BASE}#/$defs/Problem` });

function check(exchange) {
  const { method, path: fullPath, status } = exchange;
  const type = mediaType(exchange.content_type ?? '');
  const errors = [];
  const { key, operation, expected } = operationOf(method, fullPath);
  let content;
  if (!operation) {
    // What only the router answers: no such path (404), or not that method (405); or 401 for
    // credentials that are no good, which are checked before the route is looked for.
    if (status !== expected && status !== 401) {
      errors.push(`no operation; the router answers ${expected}, not ${status}`);
    }
    content = { 'application/problem+json': { schema: { $ref: `${BASE}#/$defs/Problem` } } };
  } else {
    const response = operation.responses[String(status)];
    if (!response) errors.push(`status ${status} is not declared`);
    content = response ? responseOf(response).content : undefined;
  }
  if (content && status !== 304 && method !== 'HEAD') {
    const declared = Object.keys(content).find((t) => covers(t, type));
    if (!declared) {
      errors.push(`content type ${type || '(none)'} is not among ${Object.keys(content).join(', ')}`);
    } else if (exchange.body !== undefined && content[declared].schema) {
      const validate = validatorOf(content[declared].schema);
      let body;
      try { body = JSON.parse(exchange.body); } catch (e) { errors.push(`body is no JSON: ${e.message}`); }
      if (body !== undefined && !validate(body)) {
        errors.push(`body: ${validate.errors.map(explain).join('; ')}`);
      }
      if (body !== undefined && type === 'application/problem+json' && problemValidator(body) &&
          body.type !== `urn:gongkai:problem:${body.code}`) {
        errors.push(`problem type ${body.type} does not name its code ${body.code}`);
      }
    }
  } else if (!content && exchange.body_size > 0 && method !== 'HEAD' && status !== 304) {
    errors.push('a body where none is declared');
  }
  return { key, errors };
}

test('the integration suite recorded its exchanges', () => {
  assert.ok(recordFile, 'GONGKAI_API_RECORD names the recording (see tests/CMakeLists.txt)');
});

test('every recorded response is what the description declares', { skip: !recordFile }, () => {
  const lines = readFileSync(recordFile, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 100, `only ${lines.length} exchanges recorded in ${recordFile}`);
  const exercised = new Set();
  const failures = new Map();  // one example per operation, status and complaint
  for (const line of lines) {
    const exchange = JSON.parse(line);
    const { key, errors } = check(exchange);
    if (key) exercised.add(key);
    for (const error of errors) {
      const what = `${key ?? exchange.path} → ${exchange.status}: ${error}`;
      if (!failures.has(what)) failures.set(what, `${exchange.method} ${exchange.path}`);
    }
  }
  const all = Object.entries(rebased.paths).flatMap(([template, item]) =>
    METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${template}`));
  const missed = all.filter((k) => !exercised.has(k));
  console.log(`${lines.length} exchanges; ${exercised.size} of ${all.length} operations exercised ` +
              `(${Math.round((100 * exercised.size) / all.length)} %)`);
  if (missed.length) console.log(`not exercised: ${missed.join(', ')}`);
  assert.equal(failures.size, 0,
    [...failures].map(([what, example]) => `${what}\n    e.g. ${example}`).join('\n'));
});
