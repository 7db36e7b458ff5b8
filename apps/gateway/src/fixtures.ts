import fs from 'fs/promises';
import path from 'path';

export const EXAMPLES_DIR = path.resolve(__dirname, '../../../examples');

/** 'demo', 'large' or any name in examples/ resolves there; anything else is a file path. */
export async function resolveFixture(name: string): Promise<unknown | undefined> {
  const candidates = /^[A-Za-z0-9_-]+$/.test(name) ? [path.join(EXAMPLES_DIR, `${name}.json`)] : [path.resolve(name)];
  for (const file of candidates) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      continue;
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`fixture ${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  return undefined;
}
