// ESLint (flat config): typescript-eslint and eslint-plugin-svelte's recommended rules,
// tuned to the code as it is (docs/DECISIONS.md, "Linter and formatter"), plus the house
// rules: the UI, the CLI and the teaching layer import the core only through its face, and
// the core reads neither the wall clock nor Math.random.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'screenshots/', 'reports/', '.vite/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // A leading underscore marks a value kept on purpose (a destructured slot, a parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      // The code's own idioms: `let x = ''` then set on every branch; `if (flag) (flag = false), notify();`.
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      // A literal in braces is how some attributes read best; a plain Map in a component is not state.
      'svelte/no-useless-mustaches': 'off',
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    // Tests and tools reach into JSON freely.
    files: ['**/*.test.ts', '**/*.testkit.ts', 'tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    files: ['src/ui/**', 'src/cli/**', 'src/teach/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/core/*', '**/core/**', '!**/core/index', '!**/core/index.ts'], message: 'Import the core through its public face, src/core/index.ts.' }] },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts', 'src/core/**/*.testkit.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The core is deterministic: randomness comes from the seeded Prng (sim/prng.ts).' },
        { object: 'Date', property: 'now', message: 'The core is deterministic: time is the simulated clock (sim/scheduler.ts).' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Timers run on the simulated clock (sim/scheduler.ts).' },
        { name: 'setInterval', message: 'Timers run on the simulated clock (sim/scheduler.ts).' },
        { name: 'performance', message: 'The core never reads the wall clock.' },
      ],
    },
  },
);
