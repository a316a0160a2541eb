// Lint rules, including the direction of travel between the three rooms:
// native-bridge knows nothing of Electron or React; the renderer may only
// import types from native-bridge; electron/ never reaches into the renderer.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'tmp-exp/', '.vite/', 'out/', 'dist/', 'test-results/', 'renderer/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['native-bridge/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'native-bridge runs under plain Node: never import Electron.' },
            { group: ['**/renderer/**', '**/electron/**', 'react', 'react-dom', 'd3', 'zustand'], message: 'native-bridge is the lowest layer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'native-bridge/(?!model/(commands|frame-delta|frame-delta-receiver)$)',
              allowTypeImports: true,
              message:
                'The renderer imports only types from native-bridge (and the command bounds in model/commands, the frame deltas its transports rebuild frames from); data arrives in frames.',
            },
            { group: ['electron', 'node:*', '**/electron/**'], message: 'The renderer runs in a sandboxed page.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], allowTypeImports: true, message: 'The shell does not reach into the renderer.' }] },
      ],
    },
  },
  {
    files: ['**/*.config.{js,ts}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
