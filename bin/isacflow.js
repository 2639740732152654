#!/usr/bin/env node
// isacflow command: runs the TypeScript sources through tsx (no build step), so user plugins
// written in TypeScript load the same way as the built-in ones.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
