// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Issue 17 item 5: built-in stages and plugins use the framework (manifests, ports, stage context,
 * errors, tokens, registry) through its public plugin entry point, `src/plugin.ts` ('isacflow/plugin'),
 * exactly as a user's plugin does; deep imports of the framework's internals (src/core, src/runner,
 * src/cli) are refused. The numerical library (src/isac, src/math, src/solvers) is imported by path.
 */
const publicEntryPointsOnly = {
  files: ['plugins/**/*.ts', 'stages/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '^(\\.\\./)+src/(core|runner|cli)/',
            message:
              "import the framework API from the public plugin entry point (../../src/plugin.js, 'isacflow/plugin'), not from src/core, src/runner or src/cli",
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'runs/', 'out/', 'coverage/', '.tmp-*/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  publicEntryPointsOnly,
);
