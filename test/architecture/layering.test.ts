import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layering rule of eslint.config.js, run on code that is not written to disk. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering (eslint no-restricted-imports)', () => {
  it('refuses an upward import and names the layers the file may use', async () => {
    const found = await violations(
      'src/config/example.ts',
      "import { silentLogger } from '../runtime/logger.js';\nexport const x = silentLogger;\n",
    );
    expect(found).toEqual([expect.stringContaining('src/config/ may import only from src/util/')]);
    expect(
      await violations('src/sources/postgres/example.ts', "export { x } from '../../sink/index.js';\n"),
    ).toHaveLength(1);
  });

  it('accepts a downward import', async () => {
    expect(
      await violations(
        'src/runtime/example.ts',
        "import type { UpsertRequest } from '../model/entities.js';\nexport type X = UpsertRequest;\n",
      ),
    ).toEqual([]);
  });
});
