/**
 * The slice of JSON Schema Nova's request schemas use, reporting the first error the way
 * python-jsonschema iterates (schema keywords in declaration order) and worded the way Nova's
 * validators.py words it: "Invalid input for field/attribute <last path element>. Value: <str>.
 * <jsonschema message>", Python reprs included. Name-format failures give Nova's InvalidName text.
 */
export type Schema = {
  type?: string | string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: 'name' | 'name_with_leading_trailing_spaces' | 'az_name' | 'uuid';
  enum?: unknown[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  minItems?: number;
};

/** Python's repr() of a JSON value. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'string') return pyStr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyStr(k)}: ${pyRepr(v)}`)
    .join(', ')}}`;
}

function pyFloat(n: number): string {
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Python's str(): strings bare, everything else as repr. */
const pyStrOf = (value: unknown): string => (typeof value === 'string' ? value : pyRepr(value));

const NAME_REASON = 'printable characters. Can not start or end with whitespace.';
const AZ_REASON = 'printable characters except :. Can not start or end with whitespace.';
const SPACES_REASON = 'printable characters with at least one non space character';

// Printable per Python's str.isprintable(): no control, separator (other than space) or format characters.
const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]*$/u;
const NON_SPACE_SEPARATORS = /[\p{Zs}]/u;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function printable(s: string): boolean {
  if (!PRINTABLE.test(s)) return false;
  for (const ch of s) if (ch !== ' ' && NON_SPACE_SEPARATORS.test(ch)) return false;
  return true;
}

const edgeSpace = (s: string): boolean => /^\s|\s$/u.test(s);

/** A failure: either Nova's InvalidName text (no field prefix) or a jsonschema message at a path. */
interface Failure {
  path: (string | number)[];
  instance: unknown;
  message: string;
  invalidName?: string;
}

function typeMatches(t: string, v: unknown): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'null':
      return v === null;
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return false;
  }
}

function checkFormat(format: NonNullable<Schema['format']>, v: string): string | null | 'fail' {
  switch (format) {
    case 'name':
      return printable(v) && !edgeSpace(v) ? null : NAME_REASON;
    case 'az_name':
      return printable(v) && !edgeSpace(v) && !v.includes(':') ? null : AZ_REASON;
    case 'name_with_leading_trailing_spaces':
      return printable(v) && v.trim() !== '' ? null : SPACES_REASON;
    case 'uuid':
      return UUID.test(v) ? null : 'fail';
  }
}

function first(schema: Schema, v: unknown, path: (string | number)[]): Failure | undefined {
  const fail = (message: string): Failure => ({ path, instance: v, message });
  for (const key of Object.keys(schema) as (keyof Schema)[]) {
    switch (key) {
      case 'type': {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type!];
        if (!types.some((t) => typeMatches(t, v))) return fail(`${pyRepr(v)} is not of type ${types.map((t) => pyRepr(t)).join(', ')}`);
        break;
      }
      case 'minLength':
        if (typeof v === 'string' && [...v].length < schema.minLength!) return fail(`${pyRepr(v)} is too short`);
        break;
      case 'maxLength':
        if (typeof v === 'string' && [...v].length > schema.maxLength!) return fail(`${pyRepr(v)} is too long`);
        break;
      case 'pattern':
        if (typeof v === 'string' && !new RegExp(schema.pattern!, 'u').test(v)) return fail(`${pyRepr(v)} does not match ${pyRepr(schema.pattern)}`);
        break;
      case 'format':
        if (typeof v === 'string') {
          const reason = checkFormat(schema.format!, v);
          if (reason === 'fail') return fail(`${pyRepr(v)} is not a ${pyRepr(schema.format)}`);
          if (reason) return { ...fail(''), invalidName: `An invalid 'name' value was provided. The name must be: ${reason}` };
        }
        break;
      case 'enum':
        if (!schema.enum!.some((e) => e === v)) return fail(`${pyRepr(v)} is not one of ${pyRepr(schema.enum)}`);
        break;
      case 'minItems':
        if (Array.isArray(v) && v.length < schema.minItems!) return fail(`${pyRepr(v)} is too short`);
        break;
      case 'items':
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            const f = first(schema.items!, v[i], [...path, i]);
            if (f) return f;
          }
        }
        break;
      case 'properties':
        if (typeMatches('object', v)) {
          const obj = v as Record<string, unknown>;
          for (const [name, sub] of Object.entries(schema.properties!)) {
            if (!(name in obj)) continue;
            const f = first(sub, obj[name], [...path, name]);
            if (f) return f;
          }
        }
        break;
      case 'patternProperties':
        if (typeMatches('object', v)) {
          const obj = v as Record<string, unknown>;
          for (const [pattern, sub] of Object.entries(schema.patternProperties!)) {
            const re = new RegExp(pattern, 'u');
            for (const [k, val] of Object.entries(obj)) {
              if (!re.test(k)) continue;
              const f = first(sub, val, [...path, k]);
              if (f) return f;
            }
          }
        }
        break;
      case 'required':
        if (typeMatches('object', v)) {
          for (const name of schema.required!) if (!(name in (v as object))) return fail(`${pyRepr(name)} is a required property`);
        }
        break;
      case 'additionalProperties':
        if (schema.additionalProperties === false && typeMatches('object', v)) {
          const known = Object.keys(schema.properties ?? {});
          const patterns = Object.keys(schema.patternProperties ?? {});
          const extras = Object.keys(v as object).filter((k) => !known.includes(k) && !patterns.some((p) => new RegExp(p, 'u').test(k)));
          if (extras.length) {
            if (patterns.length) {
              const joined = [...extras].sort().map(pyRepr).join(', ');
              return fail(`${joined} ${extras.length === 1 ? 'does' : 'do'} not match any of the regexes: ${[...patterns].sort().map(pyRepr).join(', ')}`);
            }
            return fail(`Additional properties are not allowed (${extras.map(pyRepr).join(', ')} ${extras.length === 1 ? 'was' : 'were'} unexpected)`);
          }
        }
        break;
      case 'anyOf':
        if (!schema.anyOf!.some((s) => !first(s, v, path))) return fail(`${pyRepr(v)} is not valid under any of the given schemas`);
        break;
      case 'oneOf': {
        const matches = schema.oneOf!.filter((s) => !first(s, v, path)).length;
        if (matches === 0) return fail(`${pyRepr(v)} is not valid under any of the given schemas`);
        if (matches > 1) return fail(`${pyRepr(v)} is valid under each of ${schema.oneOf!.map(pyRepr).join(', ')}`);
        break;
      }
    }
  }
  return undefined;
}

/** Validates a body; returns Nova's 400 message for the first error, or undefined when valid. */
export function validate(schema: Schema, body: unknown): string | undefined {
  const f = first(schema, body, []);
  if (!f) return undefined;
  if (f.invalidName) return f.invalidName;
  if (f.path.length === 0) return f.message;
  return `Invalid input for field/attribute ${f.path[f.path.length - 1]}. Value: ${pyStrOf(f.instance)}. ${f.message}`;
}

// Nova's parameter types and the aggregate schemas (nova/api/openstack/compute/schemas/aggregates.py).
const name: Schema = { type: 'string', minLength: 1, maxLength: 255, format: 'name' };
const nameWithSpaces: Schema = { type: 'string', minLength: 1, maxLength: 255, format: 'name_with_leading_trailing_spaces' };
const azName: Schema = { type: 'string', minLength: 1, maxLength: 255, format: 'az_name' };
const availabilityZone: Schema = { oneOf: [azName, { type: 'null' }] };
const hostname: Schema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };

const wrapped = (key: string, inner: Schema): Schema => ({
  type: 'object',
  properties: { [key]: inner },
  required: [key],
  additionalProperties: false,
});

export const SCHEMAS = {
  aggregateCreate: wrapped('aggregate', {
    type: 'object',
    properties: { name, availability_zone: availabilityZone },
    required: ['name'],
    additionalProperties: false,
  }),
  aggregateUpdate: wrapped('aggregate', {
    type: 'object',
    properties: { name: nameWithSpaces, availability_zone: availabilityZone },
    additionalProperties: false,
    anyOf: [{ required: ['name'] }, { required: ['availability_zone'] }],
  }),
  addHost: wrapped('add_host', { type: 'object', properties: { host: hostname }, required: ['host'], additionalProperties: false }),
  removeHost: wrapped('remove_host', { type: 'object', properties: { host: hostname }, required: ['host'], additionalProperties: false }),
  setMetadata: wrapped('set_metadata', {
    type: 'object',
    properties: {
      metadata: {
        type: 'object',
        patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: ['string', 'null'], maxLength: 255 } },
        additionalProperties: false,
      },
    },
    required: ['metadata'],
    additionalProperties: false,
  }),
  cacheImages: {
    type: 'object',
    properties: {
      cache: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false },
      },
    },
    required: ['cache'],
    additionalProperties: false,
  } satisfies Schema,
  serviceUpdate: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['enabled', 'disabled'] },
      disabled_reason: { type: 'string', minLength: 1, maxLength: 255 },
      forced_down: { type: 'boolean' },
    },
    additionalProperties: false,
  } satisfies Schema,
  serviceHostBinary: {
    type: 'object',
    properties: { host: hostname, binary: { type: 'string', minLength: 1, maxLength: 255 } },
    required: ['host', 'binary'],
    additionalProperties: false,
  } satisfies Schema,
  serviceDisableLogReason: {
    type: 'object',
    properties: { host: hostname, binary: { type: 'string', minLength: 1, maxLength: 255 }, disabled_reason: { type: 'string', minLength: 1, maxLength: 255 } },
    required: ['host', 'binary'],
    additionalProperties: false,
  } satisfies Schema,
  serviceForceDown: {
    type: 'object',
    properties: { host: hostname, binary: { type: 'string', minLength: 1, maxLength: 255 }, forced_down: { type: 'boolean' } },
    required: ['host', 'binary', 'forced_down'],
    additionalProperties: false,
  } satisfies Schema,
  serverCreate: wrapped('server', {
    type: 'object',
    properties: {
      name: nameWithSpaces,
      imageRef: { type: ['string', 'null'] },
      flavorRef: { type: ['string', 'integer'], minLength: 1 },
      availability_zone: { type: 'string', minLength: 1, maxLength: 255 },
      metadata: { type: 'object', patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } }, additionalProperties: false },
      min_count: { type: ['integer', 'string'] },
      max_count: { type: ['integer', 'string'] },
      networks: { oneOf: [{ type: 'array' }, { type: 'string', enum: ['auto', 'none'] }] },
    },
    required: ['name', 'flavorRef'],
  }),
  reboot: wrapped('reboot', {
    type: 'object',
    properties: { type: { type: 'string', enum: ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'] } },
    required: ['type'],
    additionalProperties: false,
  }),
} satisfies Record<string, Schema>;

/** From 2.37 a server request must say what networking it wants (a list, 'auto' or 'none'). */
export const SERVER_CREATE_V237: Schema = wrapped('server', {
  ...(SCHEMAS.serverCreate.properties!.server as Schema),
  required: ['name', 'flavorRef', 'networks'],
});
