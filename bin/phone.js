#!/usr/bin/env node
// The `phone` CLI: runs sim/cli/main.ts through ts-node (type-checking is done by `npm test`, not at every start).
const path = require('path');
require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json'), transpileOnly: true });
require('../sim/cli/main.ts');
