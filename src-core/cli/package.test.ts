// The installable package: `npm pack`, install the tarball into a clean temporary project, run the
// README's library example there (importing 'llm386', with its types), and the CLI from its bin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'llm386-package-'));
const project = join(work, 'app');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      npm_config_update_notifier: 'false',
    },
  });

beforeAll(() => {
  // Packs with the prepack build (library, CLI, inspector bundles).
  npm(['pack', '--pack-destination', work], ROOT);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  execFileSync('mkdir', [project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'app', private: true, type: 'module' }),
  );
  npm(['install', join(work, tarball as string)], project);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships only what it needs: built library, types, CLI and inspector bundles, no sources or tests', () => {
    const pkg = join(project, 'node_modules', 'llm386');
    const top = readdirSync(pkg).sort();
    expect(top).toEqual(
      expect.arrayContaining(['README.md', 'bin', 'dist', 'out', 'package.json']),
    );
    expect(top).not.toContain('src-core');
    expect(readdirSync(join(pkg, 'dist', 'types'))).toContain('index.d.ts');
    const installed = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(installed.dependencies)).not.toContain('electron');
  });

  it("runs the README's library example as written, importing 'llm386'", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const code =
      /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Library example')))?.[1] ?? '';
    expect(code).toContain("from 'llm386'");
    const file = join(project, 'example.mjs');
    // The example is TypeScript only in its non-null assertions: strip them to run it as JavaScript.
    writeFileSync(
      file,
      code
        .replaceAll('!.', '.')
        .replaceAll('!,', ',')
        .replaceAll('!)', ')')
        .replace("'/tmp/my-store'", JSON.stringify(join(work, 'store'))),
    );
    const lines = execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(lines).toContain('true');
    expect(lines.at(-1)).toMatch(/^\+\d+ -\d+ ~\d+ \([+-]\d+ tokens\)$/);
  });

  it('type-checks an import of the library against its declarations', () => {
    writeFileSync(
      join(project, 'check.ts'),
      "import { openRuntime, type Runtime } from 'llm386';\nconst rt: Runtime = openRuntime('/tmp/x');\nexport const put: (typeof rt)['put'] = rt.put;\n",
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['check.ts'],
      }),
    );
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      { cwd: project, encoding: 'utf8' },
    );
  });

  it("exposes the AI SDK middleware as 'llm386/ai-sdk' (the ai package stays optional)", () => {
    const file = join(project, 'ai-sdk.mjs');
    writeFileSync(file, "import { llm386 } from 'llm386/ai-sdk';\nconsole.log(typeof llm386);\n");
    expect(execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' }).trim()).toBe(
      'function',
    );
  });

  it('runs the CLI from its bin', () => {
    const out = execFileSync(
      join(project, 'node_modules', '.bin', 'llm386'),
      ['list-sessions', '--store', join(work, 'store'), '--json'],
      { cwd: project, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual([{ session: 'chat-1', blocks: expect.any(Number) }]);
  });
});
