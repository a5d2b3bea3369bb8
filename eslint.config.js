// Lint: typescript-eslint with type information, so floating promises and
// non-exhaustive switches are errors (docs/engineering.md "Habits").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'web/dist',
      'data',
      'coverage',
      'eslint.config.js',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['scripts/*.mjs', 'bin/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Data access (docs/architecture.md): SQL is written in *-repository.ts and src/db/ only,
    // and a transaction is opened by inTransaction (src/db/transaction.ts) only.
    files: ['src/**/*.ts'],
    ignores: ['src/db/**', 'src/**/*-repository.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
          message: 'Queries live in *-repository.ts files (docs/architecture.md "Data access").',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(transaction|startTransaction|connection)$/]',
          message: 'Open transactions with inTransaction (src/db/transaction.ts).',
        },
        {
          selector: "TaggedTemplateExpression[tag.name='sql']",
          message: 'SQL lives in *-repository.ts files (docs/architecture.md "Data access").',
        },
      ],
    },
  },
  {
    // Plain Node scripts: Node's globals (TypeScript files get theirs from @types/node).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
