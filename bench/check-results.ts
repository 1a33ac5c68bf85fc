/**
 * Checks a saved results file against its goals without measuring again
 * (`ts-node bench/check-results.ts [bench/results.json]`): prints the table,
 * exits 1 when a goal is missed or a required figure is absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkExitCode, formatTable, missedGoals, type Result } from './figure-results';

const file = process.argv[2] ?? path.join(__dirname, 'results.json');
const results = JSON.parse(fs.readFileSync(file, 'utf8')) as Result[];
console.log(formatTable(results));
const code = checkExitCode(results);
console.log(code === 0 ? 'check: every goal met' : `check: goals missed: ${missedGoals(results).join(', ')}`);
process.exit(code);
