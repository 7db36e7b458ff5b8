#!/usr/bin/env node
// A committed entry point, so npm links the bin before the TypeScript build has run.
require('../dist/main.js').main();
