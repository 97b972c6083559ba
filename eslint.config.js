import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The layering of src/, bottom first: a layer imports only from the layers before it.
 *   util, config <- model <- sources | sink <- runtime <- manifests <- cluster | emulate | demo <- cli
 * (app.ts and index.ts, the entry points, sit on top). scripts/check-cycles.ts (npm run check:cycles)
 * catches cycles inside a layer and through dynamic import(), which this rule does not see.
 */
const LAYERS = [
  { dir: 'util', may: [] },
  { dir: 'config', may: ['util'] },
  { dir: 'model', may: ['util', 'config'] },
  { dir: 'sources', may: ['util', 'config', 'model'] },
  { dir: 'sink', may: ['util', 'config', 'model'] },
  { dir: 'runtime', may: ['util', 'config', 'model', 'sources', 'sink'] },
  { dir: 'manifests', may: ['util', 'config', 'model', 'runtime'] },
  { dir: 'cluster', may: ['util', 'config', 'model', 'sources', 'sink', 'runtime', 'manifests'] },
  { dir: 'emulate', may: ['util', 'config', 'model', 'sources', 'sink', 'runtime', 'manifests'] },
  { dir: 'demo', may: ['util', 'config', 'model', 'sources', 'sink', 'runtime'] },
];
const TOP_LEVEL = [
  'util',
  'config',
  'model',
  'sources',
  'sink',
  'runtime',
  'manifests',
  'cluster',
  'emulate',
  'demo',
  'cli',
];

const layering = LAYERS.map(({ dir, may }) => {
  const banned = TOP_LEVEL.filter((other) => other !== dir && !may.includes(other));
  return {
    files: [`src/${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // A relative path that climbs out of src/<dir>/ into a layer it must not use.
              regex: `^(\\.\\./)+(${banned.join('|')})/`,
              message: `src/${dir}/ may import only from ${may.length > 0 ? may.map((m) => `src/${m}/`).join(', ') : 'itself'} (layering in eslint.config.js).`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['lib/**', 'dist/**', 'imports/**', 'src/manifests/generated/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-function': 'off',
      'no-control-regex': 'off',
    },
  },
  ...layering,
);
