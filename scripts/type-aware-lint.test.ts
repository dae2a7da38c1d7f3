// Proves the type-aware rules of eslint.config.mjs bite. They need the TypeScript program, so each
// case writes a real file inside a typed folder (picked up by that folder's tsconfig), lints it
// and removes it.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.mjs') });
const written: string[] = [];

async function ruleIds(code: string, relative: string): Promise<string[]> {
  const path = join(root, relative);
  writeFileSync(path, code);
  written.push(path);
  const [result] = await eslint.lintFiles([path]);
  if (result === undefined) throw new Error(`ESLint returned no result for ${relative}`);
  const fatal = result.messages.find((message) => message.fatal === true);
  if (fatal !== undefined) throw new Error(`${relative} did not parse: ${fatal.message}`);
  return result.messages.map((message) => message.ruleId ?? '(none)');
}

afterEach(() => {
  for (const path of written.splice(0)) rmSync(path, { force: true });
});

const FLOATING = `async function work(): Promise<number> {\n  return 1;\n}\nexport function go(): void {\n  work();\n}\n`;
const HANDLED = `async function work(): Promise<number> {\n  return 1;\n}\nexport function go(): void {\n  void work();\n}\n`;
const SWITCH = (extra: string) =>
  `type Op = 'a' | 'b';\nexport function f(op: Op): number {\n  switch (op) {\n    case 'a':\n      return 1;\n${extra}  }\n  return 0;\n}\n`;

describe('type-aware lint', () => {
  it('reports a promise nobody awaits (src-main), not one marked void', async () => {
    expect(await ruleIds(FLOATING, 'src-main/zz-lint-probe.ts')).toContain(
      '@typescript-eslint/no-floating-promises',
    );
    expect(await ruleIds(HANDLED, 'src-main/zz-lint-probe.ts')).not.toContain(
      '@typescript-eslint/no-floating-promises',
    );
  });

  it('reports a switch over a union that misses a member (src-core, src-renderer)', async () => {
    for (const file of ['src-core/zz-lint-probe.ts', 'src-renderer/zz-lint-probe.ts']) {
      expect(await ruleIds(SWITCH(''), file)).toContain(
        '@typescript-eslint/switch-exhaustiveness-check',
      );
      expect(await ruleIds(SWITCH("    case 'b':\n      return 2;\n"), file)).not.toContain(
        '@typescript-eslint/switch-exhaustiveness-check',
      );
    }
  });
});
