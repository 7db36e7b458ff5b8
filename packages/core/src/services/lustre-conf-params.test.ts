import { checkConfParams, confParamHelp, confParamsView, mergeConfParams } from './lustre-conf-params';

describe('Lustre conf params', () => {
  it.each([
    ['an integer in range', 'OST', 'osc.max_rpcs_in_flight', '8', undefined],
    ['an integer below the minimum', 'OST', 'osc.max_rpcs_in_flight', '0', 'Must be greater than or equal to 1'],
    ['an integer above the maximum', 'OST', 'osc.max_pages_per_rpc', '257', 'Must be less than or equal to 256'],
    ['not an integer', 'filesystem', 'sys.timeout', '1.5', 'Must be an integer'],
    ['a percentage out of range', 'MDT', 'lov.qos_prio_free', '101', 'Must be an integer between 0 and 100'],
    ['a size with a unit', 'MDT', 'lov.stripesize', '4M', undefined],
    ['a size that is no size', 'MDT', 'lov.stripesize', 'big', 'Invalid size string'],
    ['a count of MB with a unit', 'filesystem', 'llite.max_cached_mb', '512m', 'Invalid size string (must be integer number of m)'],
    ['a size above its maximum', 'OST', 'osc.max_dirty_mb', '513', 'Must be at most 512m bytes'],
    ['a choice', 'OST', 'ost.sync_on_lock_cancel', 'never', undefined],
    ['a boolean as 0/1', 'OST', 'ost.read_cache_enable', 'yes', "Must be one of ['0', '1']"],
  ] as const)('checks %s', (_what, owner, key, value, problem) => {
    expect(checkConfParams(owner, { [key]: value })).toEqual(problem ? { [key]: [problem] } : {});
  });

  it('names the owner a parameter belongs to, and still checks its value', () => {
    expect(checkConfParams('MDT', { 'osc.active': '2' })).toEqual({ 'osc.active': ['Only valid for OST', "Must be one of ['0', '1']"] });
    expect(checkConfParams('OST', { 'sys.timeout': '5' })).toEqual({ 'sys.timeout': ['Only valid for Filesystem'] });
  });

  it('refuses non-strings, padding and unknown keys, and lets null through', () => {
    expect(checkConfParams('filesystem', { 'sys.timeout': 5, 'sys.at_min': ' 1', 'x.y': '1', 'sys.at_max': null })).toEqual({
      'sys.timeout': ['Must be a string'],
      'sys.at_min': ['May not contain leading or trailing spaces'],
      'x.y': ['Unknown parameter'],
    });
    // Keys like "__proto__" are unknown parameters, not lookups into the prototype.
    const hostile = checkConfParams('filesystem', JSON.parse('{"__proto__": "1", "constructor": "1"}'));
    expect(Object.keys(hostile).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(hostile, '__proto__')?.value).toEqual(['Unknown parameter']);
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
  });

  it('shows every parameter of a kind, unset ones null, and merges changes', () => {
    const view = confParamsView('OST', { 'osc.active': '0' });
    expect(view['osc.active']).toBe('0');
    expect(view['ost.sync_journal']).toBeNull();
    expect(Object.keys(view)).not.toContain('sys.timeout');
    expect(mergeConfParams({ a: '1' }, { a: '1' })).toBeNull();
    expect(mergeConfParams({ a: '1', b: '2' }, { a: null, c: '3' })).toEqual({ b: '2', c: '3' });
    expect(Object.keys(confParamHelp(['filesystem'], null))).toContain('llite.statahead_max');
    expect(confParamHelp(null, ['sys.timeout', 'nope'])).toEqual({ 'sys.timeout': expect.stringMatching(/RPC/) });
  });
});
