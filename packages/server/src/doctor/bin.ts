#!/usr/bin/env node
// The `celonis-auth` executable: all it does is in runDoctorCli, which tests call in-process.
import { runDoctorCli } from './doctorCli.js';

process.exitCode = await runDoctorCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});
