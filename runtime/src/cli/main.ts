#!/usr/bin/env node
import { run } from './users-command.js';

// The package's `services-runtime` command. The work happens in run(), which tests call in process.
process.exitCode = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
