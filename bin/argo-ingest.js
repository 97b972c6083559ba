#!/usr/bin/env node
// Runs the compiled CLI (npm run build); in a checkout without lib/, run `npx tsx src/cli/main.ts`.
import '../lib/src/cli/main.js';
