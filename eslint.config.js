// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Outer layers and I/O that the pure core (domain, formats) must never reach. */
const impureImports = [
  { group: ['**/app/**', '**/adapters/**', '**/web/**', '**/cli/**', '**/jobs/**', '**/context*', '**/config*'], message: 'src/domain and src/formats are pure: no imports from outer layers.' },
  { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:dgram', 'node:dns', 'node:os', 'node:process'], message: 'src/domain and src/formats do no I/O.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    files: ['assets/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', navigator: 'readonly', Element: 'readonly' } },
  },
  {
    files: ['src/domain/**/*.{ts,tsx}', 'src/formats/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: impureImports }],
      'no-restricted-globals': ['error', { name: 'process', message: 'pure code reads no environment' }, { name: 'fetch', message: 'pure code does no I/O' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'pure code takes "now" as an argument' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'pure code takes "now" as an argument' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'pure code takes randomness as an argument' },
        { selector: "CallExpression[callee.object.name='DateTime'][callee.property.name='now']", message: 'pure code takes "now" as an argument' },
      ],
    },
  },
);
