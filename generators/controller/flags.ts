import type { FlagSpec } from '../lib/flags.js';

/** The flags of `create-services-app controller NAME`. */
export const controllerFlags: readonly FlagSpec[] = [
  {
    name: 'path',
    kind: { type: 'string' },
    placeholder: 'PATH',
    description: 'route path (default: /NAME)',
  },
  {
    name: 'methods',
    kind: { type: 'string' },
    placeholder: 'GET,POST',
    description: 'HTTP methods, one route and action each (default: GET)',
  },
  {
    name: 'auth',
    kind: { type: 'boolean', negatable: true },
    description: 'require authentication on its routes',
  },
  {
    name: 'force',
    kind: { type: 'boolean' },
    description: 'overwrite files changed since they were generated',
  },
  {
    name: 'dry-run',
    kind: { type: 'boolean' },
    description: 'list the files that would change, write nothing',
  },
  { name: 'help', alias: 'h', kind: { type: 'boolean' }, description: 'show this help' },
];
