import { SCHEMAS, pyRepr, validate } from './schema';

describe('pyRepr', () => {
  it.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [5, '5'],
    [1.5, '1.5'],
    ['a', "'a'"],
    ["it's", '"it\'s"'],
    ['a\nb', "'a\\nb'"],
    [[1, 'x'], "[1, 'x']"],
    [{ k: 'v', n: null }, "{'k': 'v', 'n': None}"],
  ])('%j -> %s', (value, repr) => {
    expect(pyRepr(value)).toBe(repr);
  });
});

describe('validate (Nova wording of the first jsonschema error)', () => {
  it.each([
    [SCHEMAS.aggregateCreate, { aggregate: { name: 'ok' } }, undefined],
    [SCHEMAS.aggregateCreate, { aggregate: { name: 'ok', availability_zone: null } }, undefined],
    [SCHEMAS.aggregateCreate, null, "None is not of type 'object'"],
    [SCHEMAS.aggregateCreate, { aggregate: { name: 'trail ' } }, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."],
    [SCHEMAS.aggregateCreate, { aggregate: { name: 'tab\there' } }, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."],
    [SCHEMAS.aggregateUpdate, { aggregate: { name: '   ' } }, "An invalid 'name' value was provided. The name must be: printable characters with at least one non space character"],
    [SCHEMAS.aggregateUpdate, { aggregate: { name: ' padded ' } }, undefined],
    [SCHEMAS.addHost, { add_host: { host: '' } }, "Invalid input for field/attribute host. Value: . '' is too short"],
    [SCHEMAS.addHost, { add_host: { host: 'h', x: 1 } }, "Invalid input for field/attribute add_host. Value: {'host': 'h', 'x': 1}. Additional properties are not allowed ('x' was unexpected)"],
    [SCHEMAS.setMetadata, { set_metadata: { metadata: { a: 'x'.repeat(256) } } }, `Invalid input for field/attribute a. Value: ${'x'.repeat(256)}. '${'x'.repeat(256)}' is too long`],
    [SCHEMAS.setMetadata, { set_metadata: {} }, "Invalid input for field/attribute set_metadata. Value: {}. 'metadata' is a required property"],
    [SCHEMAS.cacheImages, { cache: [{ id: 'nope' }] }, "Invalid input for field/attribute id. Value: nope. 'nope' is not a 'uuid'"],
  ])('%#', (schema, body, message) => {
    expect(validate(schema, body)).toBe(message);
  });
});
