import { loadConfig } from './config';
import { loadSamplesConfig } from './samples';

describe('sampling configuration', () => {
  it('samples every five minutes and keeps a day by default', () => {
    expect(loadSamplesConfig({})).toEqual({ intervalMs: 300_000, retentionMs: 86_400_000 });
    expect(loadConfig({}).samples).toEqual({ intervalMs: 300_000, retentionMs: 86_400_000 });
  });

  it('reads both variables, 0 switching sampling off', () => {
    expect(loadSamplesConfig({ ROSETTA_SAMPLE_SECONDS: '60', ROSETTA_SAMPLE_RETENTION_HOURS: '1.5' })).toEqual({ intervalMs: 60_000, retentionMs: 5_400_000 });
    expect(loadSamplesConfig({ ROSETTA_SAMPLE_SECONDS: '0' }).intervalMs).toBe(0);
  });

  it('rejects values that are not numbers or out of range, naming the variable', () => {
    expect(() => loadSamplesConfig({ ROSETTA_SAMPLE_SECONDS: 'often' })).toThrow(/ROSETTA_SAMPLE_SECONDS/);
    expect(() => loadSamplesConfig({ ROSETTA_SAMPLE_SECONDS: '1.5' })).toThrow(/ROSETTA_SAMPLE_SECONDS/);
    expect(() => loadSamplesConfig({ ROSETTA_SAMPLE_SECONDS: '5' })).toThrow(/at least 10/);
    expect(() => loadSamplesConfig({ ROSETTA_SAMPLE_SECONDS: '-60' })).toThrow(/ROSETTA_SAMPLE_SECONDS/);
    expect(() => loadSamplesConfig({ ROSETTA_SAMPLE_RETENTION_HOURS: '0' })).toThrow(/ROSETTA_SAMPLE_RETENTION_HOURS/);
    expect(() => loadConfig({ ROSETTA_SAMPLE_RETENTION_HOURS: 'forever' })).toThrow(/ROSETTA_SAMPLE_RETENTION_HOURS/);
  });
});
