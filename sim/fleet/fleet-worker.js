// A fleet worker thread: runs sim/fleet/fleet-worker-main.ts through ts-node, like bin/phone.js runs the CLI.
const path = require('path');
require('ts-node').register({ project: path.join(__dirname, '..', '..', 'tsconfig.json'), transpileOnly: true });
require('./fleet-worker-main.ts');
